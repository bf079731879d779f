"""The change feed: a mobile client replaying ``/api/v1/changes/`` from the
start, then from its cursor, ends with what the list shows, whatever made
articles appear or disappear."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import PageViewRestriction, Revision

from articles.models import ArticlePage
from tests.factories import make_article, make_category, make_image

CHANGES = "/api/v1/changes/"


class MobileClient:
    """Keeps a copy of the articles and categories from the change feed only."""

    def __init__(self, api, *, limit=2):
        self.api = api
        self.limit = limit
        self.cursor = None
        self.articles: dict[int, dict] = {}
        self.categories: dict[int, dict] = {}
        self.pages = 0

    def sync(self):
        while True:
            params = {"limit": self.limit}
            if self.cursor is not None:
                params["since"] = self.cursor
            answer = self.api.get(CHANGES, params)
            assert answer.status_code == 200, answer.content
            body = answer.json()
            self.pages += 1
            for change in body["changes"]:
                kept = self.articles if change["kind"] == "article" else self.categories
                if change["action"] == "upsert":
                    kept[change["id"]] = change[change["kind"]]
                else:
                    assert set(change) == {"id", "kind", "action", "at", "slug"}
                    kept.pop(change["id"], None)
            self.cursor = body["next_cursor"]
            if not body["has_more"]:
                return


def listed(api) -> dict[int, dict]:
    answer = api.get("/api/v1/articles/", {"page_size": 100}).json()
    assert answer["next"] is None
    return {summary["id"]: summary for summary in answer["results"]}


def category_names(api) -> dict[int, str]:
    return {
        c["id"]: c["name"] for c in api.get("/api/v1/categories/").json()["results"]
    }


@pytest.fixture
def recorded(django_capture_on_commit_callbacks):
    """Run what is queued on commit (the recording), as a real request would."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def test_a_client_replaying_the_feed_ends_with_what_the_list_shows(api, recorded):
    news = recorded(lambda: make_category(title="Tin tức sự kiện"))
    notices = recorded(lambda: make_category(title="Thông báo"))
    titles = ["Một", "Hai", "Ba", "Bốn", "Năm"]
    one, two, three, four, five = (
        recorded(lambda t=t: make_article(category=news, title=t)) for t in titles
    )
    # Dated tomorrow: hidden until then, and no event will say when.
    later = recorded(
        lambda: make_article(
            category=news,
            title="Hẹn giờ theo ngày đăng",
            published_at=timezone.now() + timedelta(days=1),
        )
    )
    client = MobileClient(api)

    def synced_equals_list():
        client.sync()
        shown = listed(api)
        assert client.articles == shown
        assert {c: v["name"] for c, v in client.categories.items()} == category_names(
            api
        )
        return shown

    shown = synced_equals_list()  # a full sync, in pages of two
    assert set(shown) == {one.pk, two.pk, three.pk, four.pk, five.pk}
    assert client.pages > 3

    # Edit: a new version.
    def edit():
        draft = one.get_latest_revision_as_object()
        draft.title = "Một (đã sửa)"
        draft.save_revision().publish()

    recorded(edit)
    assert synced_equals_list()[one.pk]["title"] == "Một (đã sửa)"

    # Unpublish, move, delete.
    recorded(lambda: ArticlePage.objects.get(pk=two.pk).unpublish())
    assert two.pk not in synced_equals_list()
    recorded(lambda: ArticlePage.objects.get(pk=three.pk).move(notices, "last-child"))
    assert synced_equals_list()[three.pk]["category"]["name"] == "Thông báo"
    recorded(lambda: ArticlePage.objects.get(pk=four.pk).delete())
    assert four.pk not in synced_equals_list()

    # Scheduled go-live, published by publish_scheduled when due.
    def schedule():
        article = make_article(category=news, title="Lên lịch", publish=False)
        draft = article.get_latest_revision_as_object()
        draft.go_live_at = timezone.now() + timedelta(hours=1)
        draft.save_revision().publish()
        return article

    scheduled = recorded(schedule)
    assert scheduled.pk not in synced_equals_list()
    # The hour passes: the revision's go-live time is in the past.
    due = timezone.now() - timedelta(seconds=1)
    revision = Revision.objects.get(
        object_id=str(scheduled.pk), approved_go_live_at__isnull=False
    )
    revision.approved_go_live_at = due
    revision.content["go_live_at"] = due.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    recorded(lambda: call_command("publish_scheduled", verbosity=0))
    assert scheduled.pk in synced_equals_list()

    # Expiry: hidden as soon as expire_at passes (before publish_scheduled
    # unpublishes it), recorded by the scheduler's record_changes.
    ArticlePage.objects.filter(pk=five.pk).update(
        expire_at=timezone.now() - timedelta(seconds=1)
    )
    recorded(lambda: call_command("record_changes", verbosity=0))
    assert five.pk not in synced_equals_list()
    recorded(lambda: call_command("publish_scheduled", verbosity=0))
    synced_equals_list()

    # published_at reached: no event at all, only time.
    ArticlePage.objects.filter(pk=later.pk).update(
        published_at=timezone.now() - timedelta(seconds=1)
    )
    recorded(lambda: call_command("record_changes", verbosity=0))
    assert later.pk in synced_equals_list()

    # What no version names: a tag renamed, the feature image's caption.
    def tag_and_picture():
        article = ArticlePage.objects.get(pk=one.pk)
        draft = article.get_latest_revision_as_object()
        draft.tags.add("đô thị")
        draft.feature_image = make_image(caption="Ảnh cũ")
        draft.save_revision().publish()

    recorded(tag_and_picture)
    synced_equals_list()
    tag = Tag.objects.get(name="đô thị")
    tag.name = "đô thị văn minh"
    recorded(tag.save)
    assert synced_equals_list()[one.pk]["tags"] == ["đô thị văn minh"]
    image = ArticlePage.objects.get(pk=one.pk).feature_image
    image.caption = "Ảnh mới"
    recorded(image.save)
    shown = synced_equals_list()[one.pk]["feature_image"]
    assert shown["caption"] == "Ảnh mới"

    # A category renamed shows in it and in its articles.
    def rename():
        draft = news.get_latest_revision_as_object()
        draft.title = "Tin tức"
        draft.save_revision().publish()

    recorded(rename)
    assert synced_equals_list()[one.pk]["category"]["name"] == "Tin tức"

    # A category restricted: it and every article in it disappear.
    recorded(
        lambda: PageViewRestriction.objects.create(
            page=notices, restriction_type=PageViewRestriction.LOGIN
        )
    )
    assert three.pk not in synced_equals_list()
    assert notices.pk not in client.categories

    # A client starting now gets the same in a full sync.
    newcomer = MobileClient(api, limit=100)
    newcomer.sync()
    assert newcomer.articles == client.articles
    assert newcomer.categories == client.categories


def test_nothing_new_answers_the_same_cursor(api, recorded, category):
    recorded(lambda: make_article(category=category))
    first = api.get(CHANGES).json()
    again = api.get(CHANGES, {"since": first["next_cursor"]}).json()
    assert again == {
        "changes": [],
        "next_cursor": first["next_cursor"],
        "has_more": False,
    }
    assert api.get(CHANGES, {"since": ""}).json() == first  # empty: from the start


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"since": "nonsense"}, "since"),
        ({"since": "1"}, "since"),
        ({"since": "1.0.0"}, "since"),
        ({"since": "1.0." + "a" * 15}, "since"),
        ({"since": "1.0." + "a" * 17}, "since"),
        ({"since": "A.0"}, "since"),
        ({"since": "1" * 16 + ".0"}, "since"),
        ({"since": "a" * 32}, "since"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"limit": "x"}, "limit"),
        ({"limit": ""}, "limit"),
        ({"until": "1"}, "until"),
    ],
)
def test_bad_parameters_are_named(api, params, named):
    answer = api.get(CHANGES, params)
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    assert list(answer.json()["errors"]) == [named]


def test_a_cursor_older_than_the_kept_deletions_is_gone(
    api, recorded, category, settings
):
    article = recorded(lambda: make_article(category=category))
    old_cursor = api.get(CHANGES).json()["next_cursor"]
    recorded(lambda: ArticlePage.objects.get(pk=article.pk).unpublish())
    settings.CHANGES_RETENTION_DAYS = 0
    call_command("record_changes", verbosity=0)  # prunes the deletion
    answer = api.get(CHANGES, {"since": old_cursor})
    assert answer.status_code == 410
    assert answer["Content-Type"] == "application/problem+json"
    assert list(answer.json()["errors"]) == ["since"]
    # A full sync still works, and its cursor is good.
    fresh = api.get(CHANGES).json()
    assert api.get(CHANGES, {"since": fresh["next_cursor"]}).status_code == 200


def test_a_cursor_from_before_a_restore_is_gone(api, recorded, category):
    """A restore renews the database's epoch (``manage.py restore``): the
    positions given since the backup are given again, for other changes, so
    a cursor from before answers 410, and a full sync starts afresh."""
    from cms import epoch

    recorded(lambda: make_article(category=category, title="Tin một"))
    cursor = api.get(CHANGES).json()["next_cursor"]
    assert cursor.split(".")[2] == epoch.current().value
    assert api.get(CHANGES, {"since": cursor}).status_code == 200
    epoch.renew()
    answer = api.get(CHANGES, {"since": cursor})
    assert answer.status_code == 410
    assert answer["Content-Type"] == "application/problem+json"
    assert "restored from a backup" in answer.json()["errors"]["since"][0]
    fresh = api.get(CHANGES).json()
    assert [c["article"]["title"] for c in fresh["changes"][1:]] == ["Tin một"]
    assert api.get(CHANGES, {"since": fresh["next_cursor"]}).status_code == 200


def test_a_cursor_without_an_epoch_is_good_until_the_first_restore(
    api, recorded, category
):
    """Cursors given before epochs existed (``seq.drop``) keep working; after
    a restore they are 410 like any other from before it."""
    from cms import epoch

    epoch.current()  # the row the migration made (a flush removes it)
    recorded(lambda: make_article(category=category))
    seq, drop, _epoch = api.get(CHANGES).json()["next_cursor"].split(".")
    legacy = f"{seq}.{drop}"
    answer = api.get(CHANGES, {"since": legacy})
    assert answer.status_code == 200 and answer.json()["changes"] == []
    epoch.renew()
    assert api.get(CHANGES, {"since": legacy}).status_code == 410
