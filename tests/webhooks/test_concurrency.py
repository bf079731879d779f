"""Several writers and workers at once (PostgreSQL, real threads): every
change recorded once, in commit order, and each delivery sent once."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from articles.changes import record_changes
from articles.models import ArticlePage, Change
from tests.factories import make_article, make_category
from tests.webhooks.receiver import Receiver, serve
from webhooks import services
from webhooks.models import Delivery

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 8


@pytest.fixture(scope="module", autouse=True)
def _restore_site_tree(django_db_blocker):
    """The home page and site the flush after the last test removes."""
    yield
    with django_db_blocker.unblock():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            connection.creation.deserialize_db_from_string(contents)


def in_threads(work, jobs):
    start = threading.Barrier(len(jobs))

    def run(job):
        try:
            start.wait()
            return work(job)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def test_concurrent_recordings_record_each_change_once():
    category = make_category()
    articles = [
        make_article(category=category, title=f"Tin {n}") for n in range(THREADS)
    ]
    record_changes()
    before = Change.objects.count()
    ArticlePage.objects.filter(pk__in=[a.pk for a in articles]).update(live=False)

    recorded = in_threads(
        lambda pk: record_changes(article_ids=[pk]), [a.pk for a in articles]
    )
    again = in_threads(lambda _: record_changes(), range(THREADS))

    assert sorted(len(r) for r in recorded) == [1] * THREADS
    assert sum(len(r) for r in again) == 0
    assert Change.objects.count() == before
    assert Change.objects.filter(action="delete").count() == THREADS
    seqs = list(Change.objects.order_by("seq").values_list("seq", flat=True))
    assert len(seqs) == len(set(seqs))


def test_workers_racing_for_a_delivery_send_it_once(settings):
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]  # the receiver's
    receiver = Receiver()
    server = serve(receiver)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        services.add_endpoint(url=url, events=["article.published"])
        category = make_category()
        make_article(category=category)
        delivery = Delivery.objects.get()
        outcomes = in_threads(
            lambda _: services.attempt(delivery_id=delivery.pk), range(THREADS)
        )
    finally:
        server.shutdown()
    assert outcomes.count("delivered") == 1
    assert len(receiver.received) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)


def test_payloads_are_built_after_the_change_log_is_released(monkeypatch, settings):
    """Building a payload reads every article it shows: another recording
    (the scheduler, another editor's publish) can take the change log's lock
    meanwhile, instead of waiting for it."""
    from django.db import transaction

    from articles.models import CHANGE_LOG_ID, ChangeLog

    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    services.add_endpoint(url="http://127.0.0.1:9/", events=["article.published"])
    category = make_category()
    taken = []
    build = services.change_entries

    def other_recorder():
        with transaction.atomic():
            ChangeLog.objects.select_for_update(nowait=True).get(pk=CHANGE_LOG_ID)
        return True

    def building(changes, **kwargs):
        try:
            taken.append(in_threads(lambda _: other_recorder(), [0])[0])
        except Exception as failure:  # could not obtain lock
            taken.append(failure)
        return build(changes, **kwargs)

    monkeypatch.setattr(services, "change_entries", building)
    make_article(category=category, title="Tin mới")
    assert taken == [True]
    payload = json.loads(Delivery.objects.get().payload)
    assert payload["data"]["article"]["title"] == "Tin mới"
