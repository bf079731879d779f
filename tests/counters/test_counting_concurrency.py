"""Counting stays exact under concurrent writers (PostgreSQL, real threads)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from counters.selectors import view_count
from counters.services import count_view
from counters.visitors import Visitor
from tests.factories import make_article

pytestmark = [
    pytest.mark.postgres,
    # serialized_rollback: the flush after each test would drop the home page.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("counting_store"),
]

THREADS = 16


@pytest.fixture(scope="module", autouse=True)
def _restore_site_tree(django_db_blocker):
    """Put back the migrated rows (home page, site) that the flush after the last
    test here removes, so a later run with --reuse-db still finds them."""
    yield
    with django_db_blocker.unblock():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            connection.creation.deserialize_db_from_string(contents)


def in_threads(work, jobs):
    def run(job):
        try:
            return work(job)
        finally:
            connection.close()  # each thread has its own connection

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(run, jobs))


def test_sixteen_threads_of_distinct_visitors_add_exactly_3200(category):
    article = make_article(category=category)

    def two_hundred_visitors(thread):
        return sum(
            count_view(page=article, visitor=Visitor(key=f"id:t{thread}-v{n}")).counted
            for n in range(200)
        )

    counted = in_threads(two_hundred_visitors, range(THREADS))
    assert sum(counted) == 3200
    assert view_count(page=article) == 3200


def test_one_visitor_fifty_times_at_once_adds_one(category):
    article = make_article(category=category)
    same = Visitor(key="id:the-same-reader")
    results = in_threads(lambda _: count_view(page=article, visitor=same), range(50))
    assert [r.counted for r in results].count(True) == 1
    assert view_count(page=article) == 1


def test_bots_at_once_add_nothing(category):
    article = make_article(category=category)
    bot = Visitor(key="h:crawler", countable=False)
    results = in_threads(lambda n: count_view(page=article, visitor=bot), range(50))
    assert not any(r.counted for r in results)
    assert view_count(page=article) == 0
