"""A count the database can never take (a total past the 64-bit column's limit,
from a corrupt legacy base imported before the importer refused such numbers)
is quarantined by the flusher: logged, shown in ``/readyz/``, counted once,
while everything else in the buffer is applied. Real PostgreSQL and Redis:
the overflow is PostgreSQL's own "bigint out of range"."""

import io
import logging

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Site

from counters import buffer
from counters.models import (
    AppliedFlush,
    PageDailyViews,
    PageViewCount,
    QuarantinedCount,
    SiteVisitCount,
)
from counters.selectors import view_count, visit_count
from counters.services import raise_view_count
from tests.factories import make_article

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.usefixtures("counting_store"),
]

BIGINT_MAX = 2**63 - 1
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36"
)


def view(client, article, visitor):
    return client.post(
        f"/api/v1/articles/{article.pk}/views/",
        HTTP_USER_AGENT=BROWSER,
        HTTP_X_VISITOR_ID=visitor,
    )


def stored(article):
    return PageViewCount.objects.get(page=article).views


def test_an_entry_past_the_limit_is_quarantined_and_the_rest_applied(
    client, category, caplog
):
    absurd = make_article(category=category, title="Bài có số đếm hỏng")
    other = make_article(category=category, title="Bài bình thường")
    # What an import before the limit left behind.
    raise_view_count(page=absurd, at_least=BIGINT_MAX)
    for n in range(3):
        assert view(client, absurd, f"reader-{n}").json()["counted"]
        assert view(client, other, f"reader-{n}").json()["counted"]
    client.post(
        "/api/v1/site/visits/", HTTP_USER_AGENT=BROWSER, HTTP_X_VISITOR_ID="reader-0"
    )

    with caplog.at_level(logging.ERROR, logger="counters.services"):
        call_command("flush_counters")  # before: DataError, every pass, forever

    # Everything else reached the database; the buffer is empty.
    assert stored(other) == 3
    assert PageDailyViews.objects.get(page=other).views == 3
    assert PageDailyViews.objects.get(page=absurd).views == 3  # a day's row fits
    site = Site.objects.get(is_default_site=True)
    assert SiteVisitCount.objects.get(site=site).visits == 1
    assert buffer.snapshot() == {}
    # The one entry that cannot fit is set aside, once, and said so.
    assert stored(absurd) == BIGINT_MAX
    row = QuarantinedCount.objects.get()
    assert (row.field, row.amount) == (f"v:{absurd.pk}", 3)
    assert "out of range" in row.reason
    assert AppliedFlush.objects.filter(id=row.bucket_id).exists()
    assert f"quarantined v:{absurd.pk} +3" in caplog.text
    # Counted nowhere twice: not pending in Redis, not in the database.
    assert view_count(page=absurd) == BIGINT_MAX
    assert view_count(page=other) == 3
    assert visit_count(site=site) == 1

    ready = client.get("/readyz/")
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded"
    assert ready.json()["counting_quarantine"] == {
        "status": "quarantined",
        "count": 1,
    }
    assert ready.json()["counting_buffer"]["status"] == "ok"

    out = io.StringIO()
    call_command("flush_counters", "--quarantined", stdout=out)
    assert f"v:{absurd.pk} +3" in out.getvalue()
    assert "1 quarantined count(s)." in out.getvalue()

    # Later counts keep flowing; the stuck article adds one more entry, once.
    assert view(client, other, "reader-9").json()["counted"]
    assert view(client, absurd, "reader-9").json()["counted"]
    call_command("flush_counters")
    call_command("flush_counters")
    assert stored(other) == 4
    assert QuarantinedCount.objects.count() == 2
    assert sum(QuarantinedCount.objects.values_list("amount", flat=True)) == 4
    assert buffer.snapshot() == {}


def test_without_redis_a_count_past_the_limit_is_not_counted_and_no_500(
    client, category, caplog
):
    absurd = make_article(category=category, title="Bài có số đếm hỏng")
    other = make_article(category=category, title="Bài bình thường")
    raise_view_count(page=absurd, at_least=BIGINT_MAX)
    with override_settings(REDIS_URL=""):
        with caplog.at_level(logging.ERROR, logger="counters.services"):
            answer = view(client, absurd, "reader-1")
        assert answer.status_code == 200
        assert answer.json()["counted"] is False
        assert answer.json()["view_count"] == BIGINT_MAX
        assert "cannot be added" in caplog.text
        assert view(client, other, "reader-1").json()["counted"]
    assert stored(other) == 1
