"""The admin in Vietnamese: catalogs complete and valid, pages, dates."""

import json
import re
import shutil
from datetime import date

import pytest
from babel.messages.pofile import read_po
from django import forms
from django.urls import reverse
from django.utils import formats, translation

from articles.models import ArticlePage
from cms.i18n import catalogs
from cms.i18n.catalogs import own_messages, read_project_catalog
from cms.i18n.checks import check_catalog
from cms.i18n.coverage import all_coverage, own_coverage
from cms.i18n.glossary import glossary_problems
from cms.i18n.update import update_catalog
from tests.factories import make_article, vn_time

DOMAINS = ("django", "djangojs")


# --- catalogs ---------------------------------------------------------------


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_translation_keeps_the_placeholders_and_tags(domain):
    problems = check_catalog(read_project_catalog(domain))
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_catalog_passes_pybabels_compile_checks(domain):
    catalog = read_project_catalog(domain)
    errors = [(m.id, e) for m, e in catalog.check() if e]
    assert errors == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_glossary_holds_everywhere(domain):
    problems = glossary_problems(read_project_catalog(domain))
    assert [str(p) for p in problems] == []


def test_coverage_is_at_least_the_thresholds():
    rows = all_coverage()
    names = {row.name for row in rows}
    # The admin's catalogs, including the JavaScript one its scripts load.
    assert {"wagtail.admin", "wagtail.admin (djangojs)", "wagtail"} <= names
    assert {"wagtail.images", "wagtail.documents", "wagtail.snippets"} <= names
    # Django's own (forms, validators, timesince), its contrib apps, taggit.
    assert {
        "django",
        "django.contrib.admin",
        "django.contrib.auth",
        "django.contrib.humanize",
        "taggit",
    } <= names
    total = next(r for r in rows if r.name == "all admin-facing strings")
    assert total.share >= 0.99
    assert [(r.name, r.share) for r in rows if not r.ok] == []
    assert all(r.total > 0 for r in rows)


def test_newsdesk_strings_are_all_translated():
    coverage = own_coverage()
    assert coverage.total >= 40  # models, blocks, panels, counters
    assert coverage.missing == ()


def test_the_extractor_finds_a_new_string_without_xgettext(tmp_path):
    """The check above would catch a newly added, untranslated string."""
    package = tmp_path / "reports"
    package.mkdir()
    (package / "views.py").write_text(
        "from django.utils.translation import gettext_lazy as _, ngettext\n"
        "TITLE = _('Most read articles')\n"
        "def n(k): return ngettext('%(k)s view', '%(k)s views', k)\n"
    )
    found = {m.id for m in own_messages(base=tmp_path, packages=("reports",))}
    assert found == {"Most read articles", ("%(k)s view", "%(k)s views")}
    translated = read_project_catalog("django")
    assert translated.get("Most read articles") is None


def test_messages_update_keeps_translations_and_restores_lost_ids(tmp_path, settings):
    po = tmp_path / "vi" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    shutil.copy(catalogs.project_po_path("django"), po)
    settings.LOCALE_PATHS = [tmp_path]
    catalog = read_project_catalog("django")
    del catalog["Choose a page"]  # a Wagtail msgid the catalog lost
    del catalog["view count"]  # one of newsdesk's own
    catalog["Save draft"].string = "Lưu nháp (đã sửa)"
    catalogs.write_catalog(catalog, po)

    result = update_catalog(domain="django")

    with open(po, "rb") as f:
        merged = read_po(f)
    assert {("Choose a page", None), ("view count", None)} == set(result.added)
    assert merged["Save draft"].string == "Lưu nháp (đã sửa)"
    assert merged["view count"].string == ""  # new, to be translated
    # Wagtail's own translation comes back as a suggestion, left out of the .mo.
    assert merged["Choose a page"].string == "Chọn một trang"
    assert merged["Choose a page"].fuzzy
    assert not merged["view count"].fuzzy
    assert update_catalog(domain="django").added == []


# --- pages ------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_page_speaks_vietnamese(client):
    html = client.get("/admin/login/").content.decode()
    for text in ("Đăng nhập", "Quên mật khẩu?", "Ghi nhớ đăng nhập", "Nhập mật khẩu"):
        assert text in html
    assert "Forgotten password?" not in html


@pytest.mark.django_db
def test_dashboard_speaks_vietnamese(editor_client):
    html = editor_client.get("/admin/").content.decode()
    assert "Bảng điều khiển" in html
    assert "Dashboard" not in html


@pytest.mark.django_db
def test_article_edit_page_speaks_vietnamese(editor_client, category):
    article = make_article(category=category, title="Bài để sửa")
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    html = response.content.decode()
    for text in ("Lưu bản nháp", "Xuất bản", "Xem trước", "Nội dung", "Quảng bá"):
        assert text in html, text
    assert "Save draft" not in html
    assert ">Publish<" not in html


@pytest.mark.django_db
def test_image_upload_page_speaks_vietnamese(editor_client):
    html = editor_client.get(reverse("wagtailimages:add_multiple")).content.decode()
    for text in ("Thêm ảnh", "Kéo và thả ảnh vào vùng này để tải lên ngay."):
        assert text in html, text
    assert "Drag and drop" not in html


@pytest.mark.django_db
def test_the_admin_javascript_catalog_is_vietnamese(client):
    source = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    catalog = json.loads(re.search(r"newcatalog = (\{.*?\});", source, re.S)[1])
    assert catalog["Saving..."] == "Đang lưu..."
    assert catalog["Page explorer"] == "Cây trang"


# --- dates ------------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("21/04/2017", date(2017, 4, 21)),
        ("05/04/2017", date(2017, 4, 5)),  # never read month first (5 May)
        ("21-04-2017", date(2017, 4, 21)),
        ("2017-04-21", date(2017, 4, 21)),
    ],
)
def test_date_input_is_day_first(language, typed, expected):
    with translation.override(language):
        assert forms.DateField().clean(typed) == expected


def test_datetime_input_is_day_first():
    with translation.override("vi"):
        parsed = forms.DateTimeField().clean("21/04/2017 08:25")
    assert parsed == vn_time(2017, 4, 21, 8, 25)


def test_dates_display_the_vietnamese_way():
    with translation.override("vi"):
        assert formats.date_format(date(2017, 4, 21)) == "21/04/2017"
        assert formats.date_format(date(2017, 4, 21), "SHORT_DATE_FORMAT") == (
            "21/04/2017"
        )


@pytest.mark.django_db
def test_article_form_reads_and_writes_published_at_day_first(editor_client, category):
    article = make_article(
        category=category, title="Bài có ngày", published_at=vn_time(2017, 4, 5, 8, 25)
    )
    url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    html = editor_client.get(url).content.decode()
    assert 'value="05/04/2017 08:25"' in html
    assert '"format": "d/m/Y H:i"' in html  # what the date picker writes

    response = editor_client.post(url, _edit_form(article, "21/04/2017 08:25"))

    assert response.status_code == 302, response.context["form"].errors
    assert ArticlePage.objects.get(pk=article.pk).published_at == vn_time(
        2017, 4, 21, 8, 25
    )


def _edit_form(article, published_at):
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    return nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "published_at": published_at,
            "excerpt": "",
            "body": streamfield([("paragraph", rich_text("<p>Nội dung.</p>"))]),
            "tags": "",
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
