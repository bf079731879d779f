"""HTTP conventions clients already speak: ``Link`` (RFC 8288) on paged lists,
``Last-Modified`` and ``If-Modified-Since`` beside ``ETag``, sparse fieldsets
(``fields``) and a set of articles by id (``ids``), the same whether an answer
is built or replayed from the shared cache."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from api import response_cache
from tests.api.test_visibility import HIDDEN
from tests.factories import make_article, vn_time

LIST = "/api/v1/articles/"
LINK = re.compile(r'<([^>]+)>; rel="(\w+)"')


def _links(response) -> dict[str, str]:
    return {rel: url for url, rel in LINK.findall(response["Link"])}


@pytest.fixture
def five(category):
    return [
        make_article(
            category=category, title=f"Bài {i}", published_at=vn_time(2024, 1, i)
        )
        for i in range(1, 6)
    ]


@pytest.fixture
def kept_answers(settings):
    settings.API_RESPONSE_CACHE_SECONDS = 300


def test_link_header_names_next_prev_first_last(api, five):
    base = "http://testserver/api/v1/articles/"
    first = api.get(LIST, {"page_size": 2})
    assert _links(first) == {
        "next": f"{base}?page=2&page_size=2",
        "first": f"{base}?page_size=2",
        "last": f"{base}?page=3&page_size=2",
    }
    middle = api.get(LIST, {"page_size": 2, "page": 2})
    assert _links(middle) == {
        "next": f"{base}?page=3&page_size=2",
        "prev": f"{base}?page_size=2",
        "first": f"{base}?page_size=2",
        "last": f"{base}?page=3&page_size=2",
    }
    assert _links(middle)["next"] == middle.json()["next"]
    last = api.get(LIST, {"page_size": 2, "page": 3})
    assert set(_links(last)) == {"prev", "first", "last"}

    # Following "next" from the first page visits every article once.
    seen, url = [], _links(first)["first"]
    while url:
        response = api.get(url.removeprefix("http://testserver"))
        seen += [article["id"] for article in response.json()["results"]]
        url = _links(response).get("next")
    assert sorted(seen) == sorted(article.pk for article in five)


def test_link_header_on_search_and_category_lists(api, five, category):
    for params in ({"search": "bai", "page_size": 2}, {"category": category.slug}):
        response = api.get(LIST, params)
        links = _links(response)
        assert {"first", "last"} <= set(links)
        for url in links.values():
            assert api.get(url.removeprefix("http://testserver")).status_code == 200
    empty = api.get(LIST, {"tag": "không có"})
    assert empty.json()["count"] == 0
    assert set(_links(empty)) == {"first", "last"}


def test_headers_survive_the_shared_cache(api, five, kept_answers):
    built = api.get(LIST, {"page_size": 2})
    replayed = api.get(LIST, {"page_size": 2})
    assert replayed.has_header("Age") or replayed["ETag"] == built["ETag"]
    for name in ("Link", "Last-Modified", "ETag", "Content-Type", "Cache-Control"):
        assert replayed[name] == built[name], name


def test_if_modified_since_answers_304_until_the_answer_changes(
    api, five, category, kept_answers, monkeypatch, committed
):
    monkeypatch.setattr(response_cache, "_clock", lambda: 1_700_000_000.0)
    first = api.get(LIST)
    assert first["Last-Modified"] == http_date(1_700_000_000)
    since = {"HTTP_IF_MODIFIED_SINCE": first["Last-Modified"]}
    not_modified = api.get(LIST, **since)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    earlier = {"HTTP_IF_MODIFIED_SINCE": http_date(1_699_999_000)}
    assert api.get(LIST, **earlier).status_code == 200

    # A publish elsewhere changes the whole list, not another category's.
    from tests.factories import make_category

    other = make_category(title="Thông báo")
    by_category = api.get(LIST, {"category": category.slug})
    monkeypatch.setattr(response_cache, "_clock", lambda: 1_700_000_100.0)
    with committed():
        make_article(category=other, title="Bài mới", published_at=vn_time(2024, 2, 1))
    changed = api.get(LIST, **since)
    assert changed.status_code == 200
    assert changed["Last-Modified"] == http_date(1_700_000_100)
    same = api.get(LIST, {"category": category.slug})
    assert same.content == by_category.content
    assert same["Last-Modified"] == by_category["Last-Modified"]


def test_last_modified_without_the_shared_cache(api, five, settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0
    response = api.get(f"/api/v1/articles/{five[0].pk}/")
    assert response.has_header("Last-Modified")
    again = api.get(
        f"/api/v1/articles/{five[0].pk}/",
        HTTP_IF_MODIFIED_SINCE=response["Last-Modified"],
    )
    # Built anew, so at least as new as the first: 304 only within its second.
    assert again.status_code in (200, 304)
    assert api.get("/api/v1/articles/most-viewed/").has_header("Last-Modified")


def test_fields_keep_only_the_named_keys_in_the_shape_order(api, five):
    full = api.get(LIST, {"page_size": 2}).json()
    sparse = api.get(LIST, {"page_size": 2, "fields": "title,id,updated_at"}).json()
    assert [list(item) for item in sparse["results"]] == [
        ["id", "title", "updated_at"]
    ] * 2
    assert sparse["results"] == [
        {key: item[key] for key in ("id", "title", "updated_at")}
        for item in full["results"]
    ]
    assert sparse["count"] == full["count"]
    assert "fields=title%2Cid%2Cupdated_at" in sparse["next"]  # kept on every page


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("id,body", "body"),
        ("title,nope,view_count", "nope"),
        ("id,,title", None),
        ("ID", None),
    ],
)
def test_unknown_field_is_a_400_naming_it(api, five, value, named):
    response = api.get(LIST, {"fields": value})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    (message,) = response.json()["errors"]["fields"]
    if named:
        assert named in message


def test_ids_answer_that_set_newest_first_in_one_page(api, five):
    wanted = [five[0].pk, five[3].pk, five[4].pk]
    response = api.get(LIST, {"ids": ",".join(map(str, wanted))})
    data = response.json()
    assert [item["id"] for item in data["results"]] == [
        five[4].pk,
        five[3].pk,
        five[0].pk,
    ]
    assert data["count"] == 3 and data["next"] is None
    listed = {item["id"]: item for item in api.get(LIST).json()["results"]}
    assert data["results"] == [listed[item["id"]] for item in data["results"]]
    sparse = api.get(LIST, {"ids": f"{five[1].pk}", "fields": "id,view_count"})
    assert sparse.json()["results"] == [{"id": five[1].pk, "view_count": 0}]


@pytest.mark.parametrize("make_hidden", HIDDEN)
def test_hidden_ids_are_silently_absent(
    api, category, five, make_hidden, django_capture_on_commit_callbacks
):
    hidden = make_hidden(category)
    ids = f"{five[0].pk},{hidden.pk},999999,{2**31},{10**18}"
    response = api.get(LIST, {"ids": ids})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [five[0].pk]


@pytest.mark.parametrize(
    "value",
    ["abc", "1,,2", "1, 2", "-1", "0", "1,", ",".join(map(str, range(1, 102)))],
)
def test_bad_ids_are_a_400_naming_ids(api, five, value):
    response = api.get(LIST, {"ids": value})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == ["ids"]


def test_ids_that_can_name_no_article_answer_an_empty_list(api, five):
    response = api.get(LIST, {"ids": f"{2**31},1509649302101990506"})
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert response.json()["results"] == []


def test_a_hundred_ids_are_fine(api, five):
    ids = ",".join(str(n) for n in range(five[0].pk, five[0].pk + 100))
    assert api.get(LIST, {"ids": ids}).json()["count"] == 5


def test_new_parameters_cost_no_query(api, five, settings):
    settings.API_RESPONSE_CACHE_SECONDS = 0

    def queries(params):
        api.get(LIST, params)
        with CaptureQueriesContext(connection) as captured:
            assert api.get(LIST, params).status_code == 200
        return len(captured)

    plain = queries({"page_size": 2})
    assert queries({"page_size": 2, "fields": "id,title"}) == plain
    assert queries({"ids": f"{five[0].pk},{five[1].pk}"}) == plain
