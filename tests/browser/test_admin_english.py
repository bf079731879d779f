"""No English anywhere an editor goes: a walk through the admin in Chromium.

Each newsroom role (the demo users of ``setup_newsroom --demo-users``) and the
superuser sign in with an English browser (``locale="en-US"``,
``Accept-Language: en-US``) and open every screen and dialog they reach:
dashboard, explorer and listings, the article's create and edit forms, every
chooser and its tabs, the workflow dialogs, reports, history, search, the
account, settings, and for the superuser users, groups, sites and the rest of
the settings menu. On each, the visible text, the document's ``<title>`` and
the attributes a user sees or hears (``title``, ``aria-label``,
``placeholder``, ``alt``, tooltips, button values) are searched for English
words (``tests/browser/english.py``). One test per role; its failure lists
every English string with the screen's URL. docs/i18n.md: how to add a screen.
"""

import json
import os
import shutil
from dataclasses import dataclass, field

import pytest

from harness.admin_site import SUPERUSER, admin_site
from tests.browser.english import english_phrases

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="needs Debian's chromium"
)

#: What a user sees or hears besides the text: attributes, tooltips, buttons.
COLLECT = """() => {
  const found = [["<title>", document.title], ["text", document.body.innerText]];
  const names = ["title", "aria-label", "placeholder", "alt",
                 "data-w-tooltip-content-value"];
  for (const el of document.querySelectorAll("*")) {
    for (const name of names) {
      const value = el.getAttribute(name);
      if (value) found.push([name, value]);
    }
    if (el.matches("input[type=submit], input[type=button]") && el.value) {
      found.push(["value", el.value]);
    }
  }
  const endonyms = [...document.querySelectorAll(
    "select[name$=preferred_language] option")].map((option) => option.text);
  return [found, endonyms];
}"""

#: Everything the walk needs to know about the demo data, made once.
SETUP = """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Site, Task, Workflow
from wagtail.rich_text import RichText
from articles.models import ArticlePage
from articles.newsroom import WORKFLOW

User = get_user_model()
users = {u.username: u for u in User.objects.all()}
published = ArticlePage.objects.live().order_by("pk").first()
category = published.get_parent()


def draft(title, owner):
    page = ArticlePage(
        title=title, owner=owner, live=False,
        body=[("paragraph", RichText("<p>Nội dung bài viết.</p>"))],
    )
    category.add_child(instance=page)
    page.save_revision(user=owner)
    return page


# One article waiting for each approval step.
for_editor = draft("Bài chờ biên tập viên duyệt", users["phongvien"])
for_editor.get_workflow().start(for_editor, users["phongvien"])
for_leader = draft("Bài chờ lãnh đạo duyệt", users["phongvien"])
for_leader.get_workflow().start(for_leader, users["phongvien"])
state = for_leader.current_workflow_task_state
state.task.specific.on_action(state, users["bientap"], "approve", comment="Đạt.")
# Each user's own draft, whose edit form they may open (a writer edits only
# what they wrote).
own = {
    name: draft(f"Bản nháp của {user.get_full_name()}", user).pk
    for name, user in users.items()
}
document = get_document_model().objects.create(
    title="Kế hoạch tuyên truyền năm 2025",
    file=ContentFile(b"%PDF-1.4 ke hoach", name="ke-hoach.pdf"),
)
print(json.dumps({
    "home": category.get_parent().pk,
    "category": category.pk,
    "published": published.pk,
    "for_editor": for_editor.pk,
    "for_leader": for_leader.pk,
    "image": get_image_model().objects.order_by("pk").first().pk,
    "document": document.pk,
    "own": own,
    "user": users["phongvien"].pk,
    "group": Group.objects.order_by("pk").first().pk,
    "site": Site.objects.get().pk,
    "collection": Collection.get_first_root_node().pk,
    "workflow": Workflow.objects.get(name=WORKFLOW).pk,
    "task": Task.objects.order_by("pk").first().pk,
}))
"""


@dataclass
class Site:
    url: str
    ids: dict


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with admin_site(tmp_path_factory.mktemp("english-walk")) as served:
        ids = json.loads(served.shell(SETUP).strip().splitlines()[-1])
        yield Site(url=served.url, ids=ids)


@dataclass
class Walk:
    """One user's walk: the English found, by screen."""

    page: object
    found: dict = field(default_factory=dict)
    unreached: list = field(default_factory=list)

    def check(self, where: str = "") -> None:
        """Search what the page shows now (after a dialog opened, say)."""
        self.page.wait_for_load_state("networkidle")
        screen = self.page.url.split("://", 1)[-1].split("/", 1)[-1]
        screen = f"/{screen}" + (f" ({where})" if where else "")
        found, endonyms = self.page.evaluate(COLLECT)
        for kind, value in found:
            if kind == "text":
                # The language picker names each language in itself
                # ("English"), so that its readers find it.
                value = "\n".join(
                    line for line in value.splitlines() if line not in endonyms
                )
            for phrase in english_phrases(value):
                self.found.setdefault(screen, set()).add(f"{kind}: {phrase}")

    def visit(self, path: str, *, optional: bool = False) -> bool:
        """Open ``path`` and check it; a screen the user may not open sends
        them back to the dashboard: allowed only where ``optional``."""
        self.page.goto(path)
        ended = self.page.url.split("?")[0]
        if path != "/admin/" and (
            ended.endswith("/admin/") or "/admin/login/" in ended
        ):
            if not optional:
                self.found.setdefault(path, set()).add(
                    f"not reached (ended at {self.page.url})"
                )
            self.unreached.append(path)
            return False
        self.check()
        return True

    def report(self) -> str:
        return "\n".join(
            f"{screen}\n" + "\n".join(f"    {s}" for s in sorted(strings))
            for screen, strings in sorted(self.found.items())
        )


ROLES = ("phongvien", "bientap", "lanhdao", SUPERUSER[0])


@pytest.fixture
def signed_in(browser, site):
    contexts = []

    def sign_in(username: str):
        context = browser.new_context(
            base_url=site.url,
            locale="en-US",
            extra_http_headers=ENGLISH,
            viewport={"width": 1280, "height": 900},
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.on("dialog", lambda dialog: dialog.dismiss())
        walk = Walk(page)
        page.goto("/admin/login/")
        walk.check("sign-in page")
        # A wrong password first: the error is shown on the sign-in page.
        page.fill("#id_username", username)
        page.fill("#id_password", "not-the-password")
        page.click("button[type=submit]")
        walk.check("wrong password")
        error = page.locator(".help-critical, .messages .error").first.inner_text()
        if error[:1] != error[:1].upper():
            walk.found.setdefault("/admin/login/", set()).add(
                f"sign-in error starts in lower case: {error}"
            )
        page.fill("#id_username", username)
        password = SUPERUSER[1] if username == SUPERUSER[0] else username
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/")
        return walk

    yield sign_in
    for context in contexts:
        context.close()


def _screens(ids: dict, *, username: str) -> list[tuple[str, bool]]:
    """(path, optional) of the screens every role opens; then the superuser's.

    A writer edits only what they wrote: the other articles' history is
    walked with their own draft (``_write_a_draft``)."""
    superuser = username == SUPERUSER[0]
    writer = username == "phongvien"
    screens = [
        ("/admin/", False),
        ("/admin/pages/", False),
        (f"/admin/pages/{ids['home']}/", False),
        (f"/admin/pages/{ids['category']}/", False),
        (f"/admin/pages/{ids['category']}/?ordering=-title", False),
        ("/admin/articles/", False),
        ("/admin/articles/?q=h%E1%BB%99i+ngh%E1%BB%8B", False),
        ("/admin/articles/choose_parent/", False),
        ("/admin/pages/search/?q=h%E1%BB%99i+ngh%E1%BB%8B", False),
        ("/admin/pages/search/?q=kh%C3%B4ng+c%C3%B3+g%C3%AC", False),
        (f"/admin/pages/{ids['published']}/history/", writer),
        (f"/admin/pages/{ids['published']}/workflow_history/", writer),
        (f"/admin/pages/{ids['published']}/usage/", writer),
        (f"/admin/pages/{ids['for_editor']}/workflow_history/", False),
        ("/admin/reports/most-viewed/", False),
        ("/admin/reports/workflow/", False),
        ("/admin/reports/workflow_tasks/", False),
        ("/admin/reports/site-history/", False),
        ("/admin/reports/locked/", not superuser),
        ("/admin/reports/aging-pages/", not superuser),
        ("/admin/reports/page-types-usage/", not superuser),
        ("/admin/account/", False),
        # Roles reach images once their permissions are fixed (issue 21).
        ("/admin/images/", not superuser),
        (f"/admin/images/{ids['image']}/", not superuser),
        ("/admin/images/multiple/add/", not superuser),
        ("/admin/documents/", not superuser),
        (f"/admin/documents/edit/{ids['document']}/", not superuser),
        ("/admin/documents/multiple/add/", not superuser),
    ]
    if superuser:
        screens += [
            ("/admin/users/", False),
            ("/admin/users/new/", False),
            (f"/admin/users/edit/{ids['user']}/", False),
            ("/admin/groups/", False),
            ("/admin/groups/new/", False),
            (f"/admin/groups/edit/{ids['group']}/", False),
            ("/admin/sites/", False),
            ("/admin/sites/new/", False),
            (f"/admin/sites/edit/{ids['site']}/", False),
            ("/admin/collections/", False),
            ("/admin/collections/add/", False),
            ("/admin/workflows/list/", False),
            (f"/admin/workflows/edit/{ids['workflow']}/", False),
            ("/admin/workflows/tasks/index/", False),
            (f"/admin/workflows/tasks/edit/{ids['task']}/", False),
            ("/admin/redirects/", False),
            ("/admin/redirects/add/", False),
            ("/admin/forms/", False),
            ("/admin/snippets/webhooks/endpoint/", False),
            ("/admin/snippets/webhooks/endpoint/add/", False),
            ("/admin/webhooks/deliveries/", False),
            (f"/admin/pages/{ids['published']}/edit/", False),
            (f"/admin/pages/{ids['home']}/edit/", False),
            (f"/admin/pages/{ids['published']}/move/", False),
            (f"/admin/pages/{ids['published']}/copy/", False),
            (f"/admin/pages/{ids['published']}/unpublish/", False),
            (f"/admin/pages/{ids['published']}/delete/", False),
            (f"/admin/pages/add/{'articles/articlepage'}/{ids['category']}/", False),
            (f"/admin/pages/{ids['category']}/add_subpage/", False),
        ]
    return screens


# --- the dialogs --------------------------------------------------------------


def _modal(walk: Walk, where: str):
    modal = walk.page.locator(".modal:visible").last
    modal.wait_for(state="visible")
    walk.page.wait_for_load_state("networkidle")
    walk.check(where)
    return modal


def _close_modal(walk: Walk) -> None:
    walk.page.locator(".modal:visible [data-dismiss=modal]").last.click()
    walk.page.locator(".modal:visible").wait_for(state="detached")


def _choosers(walk: Walk) -> None:
    """On an article's edit form: every chooser and its tabs."""
    page = walk.page
    # The feature image's chooser (search and, with permission, upload).
    page.locator("[data-chooser-action-choose]").first.click()
    modal = _modal(walk, "image chooser")
    for tab in modal.locator("[role=tab]").all():
        tab.click()
        walk.check(f"image chooser, tab {tab.inner_text().strip()}")
    _close_modal(walk)

    # The body's rich text (a paragraph: text, lists and links; the article
    # has no document or embed chooser: embeds are a URL field): its toolbar,
    # and the link dialog: the page chooser (browse, search), then each tab.
    editor = page.locator(".Draftail-Editor .public-DraftEditor-content").first
    editor.click()
    page.keyboard.type("Chữ để làm liên kết")
    page.keyboard.press("Shift+Home")
    walk.check("rich text toolbar")
    page.locator(".Draftail-ToolbarButton[name=LINK]").first.click()
    modal = _modal(walk, "link chooser: internal")
    modal.locator("input[name=q]").fill("hội nghị")
    modal.locator(".listing, .nice-padding p").last.wait_for()
    page.wait_for_timeout(800)  # the search waits for typing to pause
    walk.check("link chooser: page search")
    for label in (
        "Liên kết ngoài",
        "Liên kết email",
        "Liên kết số điện thoại",
        "Liên kết neo",
    ):
        modal.get_by_role("link", name=label).click()
        page.wait_for_load_state("networkidle")
        modal.locator("form").first.wait_for()
        walk.check(f"link chooser: {label}")
    # An invalid e-mail address: the form's own error message.
    modal.get_by_role("link", name="Liên kết email").click()
    modal.locator("input[name$=email_address]").fill("không-phải-email")
    modal.locator("form [type=submit]").first.click()
    modal.locator(".error-message, .w-field__errors").first.wait_for()
    walk.check("link chooser: invalid e-mail")
    _close_modal(walk)


def _open_actions(page) -> None:
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()


def _create_and_edit(walk: Walk, ids: dict, username: str) -> int:
    """The create form with a title typed, then the user's own draft's edit
    form: its choosers, its actions menu, its history."""
    page = walk.page
    assert walk.visit(f"/admin/pages/add/articles/articlepage/{ids['category']}/")
    page.click("#id_title")
    page.keyboard.type("Bài viết của vòng kiểm tra")
    page.keyboard.press("Tab")
    walk.check("create form, title typed")
    own = ids["own"][username]
    assert walk.visit(f"/admin/pages/{own}/edit/")
    _choosers(walk)
    _open_actions(page)
    walk.check("actions menu")
    page.keyboard.press("Escape")
    for screen in ("history", "workflow_history", "usage"):
        walk.visit(f"/admin/pages/{own}/{screen}/")
    return own


def _workflow_dialogs(walk: Walk, page_id: int) -> None:
    """Every workflow action of the step that asks for a comment (approve with
    a comment, request changes): its dialog, then cancelled."""
    page = walk.page
    walk.visit(f"/admin/pages/{page_id}/edit/")
    _open_actions(page)
    walk.check("actions menu")
    dialogs = page.locator("footer button[data-workflow-action-modal-url]")
    names = [
        dialogs.nth(i).get_attribute("data-workflow-action-name")
        for i in range(dialogs.count())
    ]
    if "reject" not in names:  # request changes: every step has it
        walk.found.setdefault(page.url, set()).add(f"no dialog to walk: {names}")
    for name in names:
        button = page.locator(
            f"footer [data-workflow-action-name={name}][data-workflow-action-modal-url]"
        )
        page.keyboard.press("Escape")
        _open_actions(page)
        button.click()
        _modal(walk, f"workflow dialog: {name}")
        _close_modal(walk)
    page.keyboard.press("Escape")


@pytest.mark.parametrize("username", ROLES)
def test_no_english_on_any_screen(signed_in, site, username):
    walk = signed_in(username)
    for path, optional in _screens(site.ids, username=username):
        walk.visit(path, optional=optional)

    own = _create_and_edit(walk, site.ids, username)
    if username == "phongvien":
        page = walk.page
        walk.visit(f"/admin/pages/{own}/edit/")
        _open_actions(page)
        with page.expect_navigation():
            page.locator("footer button[name=action-submit]").click()
        walk.check("after submitting for moderation")
    if username in ("bientap", SUPERUSER[0]):
        _workflow_dialogs(walk, site.ids["for_editor"])
    if username in ("lanhdao", SUPERUSER[0]):
        _workflow_dialogs(walk, site.ids["for_leader"])
    if username == SUPERUSER[0]:
        published = site.ids["published"]
        walk.visit(f"/admin/pages/{published}/revisions/compare/earliest...latest/")

    assert not walk.found, f"English for {username}:\n{walk.report()}"
