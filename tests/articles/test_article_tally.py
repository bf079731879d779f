"""The article tally (``articles.models.tally``): kept by the database in the
statement that inserts or deletes articles, whatever wrote them."""

from articles import selectors
from articles.models import TALLY_ID, ArticlePage, ArticleTally
from tests.factories import make_article, vn_time


def tally() -> int:
    return ArticleTally.objects.get(pk=TALLY_ID).total


def test_the_tally_follows_every_insert_and_delete(category):
    assert tally() == 0
    first, second, third = (
        make_article(
            category=category, title=f"Bài {n}", published_at=vn_time(2020, 1, n)
        )
        for n in (1, 2, 3)
    )
    assert tally() == ArticlePage.objects.count() == 3

    first.delete()  # Wagtail's page delete
    ArticlePage.objects.filter(pk=second.pk).delete()  # a queryset's
    assert tally() == ArticlePage.objects.count() == 1
    assert selectors.count_visible_articles() == 1
    assert third.pk in selectors.visible_articles().values_list("pk", flat=True)


def test_without_the_tally_row_counts_read_the_articles(client, category):
    for n in (1, 2):
        make_article(
            category=category, title=f"Bài {n}", published_at=vn_time(2020, 1, n)
        )
    hidden = make_article(category=category, title="Ẩn")
    hidden.unpublish()
    ArticleTally.objects.all().delete()  # as after `flush`

    assert selectors.count_visible_articles() == 2
    assert client.get("/api/v1/articles/").json()["count"] == 2
