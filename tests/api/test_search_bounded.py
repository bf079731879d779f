"""A search matching much of the archive on PostgreSQL does bounded work: an
estimated count (``count_is_estimate``), the newest articles' matches ranked,
then the older ones newest first; no match lost or repeated across pages.
The bounds are made small here (``articles.pg_search``) so a few articles
cross them."""

import pytest
from django.db import connection
from wagtail.rich_text import RichText

from articles import pg_search
from tests.factories import make_article, vn_time

pytestmark = pytest.mark.postgres


@pytest.fixture
def archive(category, django_capture_on_commit_callbacks, monkeypatch):
    """10 articles, one a day: 8 about a conference (days 3 and 7 say so in
    their title too), 2 about traffic (days 9 and 10); the table analysed as
    autovacuum would."""
    monkeypatch.setattr(pg_search, "EXACT_UP_TO", 3)
    monkeypatch.setattr(pg_search, "WINDOW", 4)
    ids = {}
    with django_capture_on_commit_callbacks(execute=True):
        for day in range(1, 11):
            about = "hội nghị" if day <= 8 else "giao thông"
            title = f"Tin số {day}" + (" về hội nghị" if day in (3, 7) else "")
            article = make_article(
                category=category,
                title=title,
                body=[("paragraph", RichText(f"<p>Bài viết về {about}.</p>"))],
                published_at=vn_time(2020, 1, day),
            )
            ids[day] = article.pk
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {pg_search.ArticleSearchEntry._meta.db_table}")
    return ids


def search(api, query, **params):
    response = api.get("/api/v1/articles/", {"search": query, **params})
    assert response.status_code == 200
    return response.json()


def test_a_common_query_is_estimated_and_ranked_in_the_newest_articles(api, archive):
    first = search(api, "hoi nghi", page_size=3)

    assert first["count_is_estimate"] is True
    assert first["count"] == 8  # the sample read every page of so small a table
    # The newest 4 articles (days 7 to 10) hold 2 matches, ranked: day 7's
    # title has the words. Day 3's title has them too, but it is older: it
    # comes in date order with the rest.
    ranked = [archive[7], archive[8]]
    assert [item["id"] for item in first["results"]] == [*ranked, archive[6]]

    seen = [item["id"] for item in first["results"]]
    page = 2
    while True:
        response = api.get(
            "/api/v1/articles/", {"search": "hoi nghi", "page_size": 3, "page": page}
        )
        if response.status_code == 404:
            break
        seen += [item["id"] for item in response.json()["results"]]
        page += 1
    # Then every older match, newest first: none lost, none repeated.
    assert seen == [*ranked, *(archive[day] for day in (6, 5, 4, 3, 2, 1))]


def test_an_ordinary_query_is_counted_exactly(api, archive):
    found = search(api, "giao thong")

    assert found["count_is_estimate"] is False
    assert found["count"] == 2
    assert [item["id"] for item in found["results"]] == [archive[10], archive[9]]


def test_the_list_without_search_counts_exactly(api, archive):
    listed = api.get("/api/v1/articles/").json()

    assert listed["count_is_estimate"] is False
    assert listed["count"] == 10


def test_a_common_query_in_a_category_is_estimated_within_it(
    api, archive, category, other_category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for day in range(11, 17):
            make_article(
                category=other_category,
                title=f"Thông báo số {day}",
                body=[("paragraph", RichText("<p>Thông báo về hội nghị.</p>"))],
                published_at=vn_time(2020, 1, day),
            )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {pg_search.ArticleSearchEntry._meta.db_table}")

    everywhere = search(api, "hoi nghi")
    within = search(api, "hoi nghi", category=category.slug, page_size=20)

    assert (everywhere["count"], everywhere["count_is_estimate"]) == (14, True)
    assert (within["count"], within["count_is_estimate"]) == (8, True)
    assert [item["id"] for item in within["results"]] == [
        archive[day] for day in (7, 8, 6, 5, 4, 3, 2, 1)
    ]
