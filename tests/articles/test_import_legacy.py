"""``manage.py import_legacy`` and the importer behind it (articles.importers.run).

The seed dump is a real page of the old portal; the other dumps are written here
in the same format. Photos are drawn with Pillow into tmp_path.
"""

import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from wagtail.models import Revision, Site

from articles.demo import load_demo
from articles.importers import run
from articles.importers.run import Outcome, import_dumps
from articles.models import ArticlePage, CategoryPage, NewsImage
from counters.models import PageViewCount, SiteVisitCount
from counters.selectors import view_count, visit_count
from counters.services import raise_view_count, raise_visit_count
from tests.factories import image_bytes, make_article, vn_time

DATA = Path(__file__).resolve().parents[1] / "data" / "legacy"
SEED = DATA / "000_c3bccbfadf54e677.txt"
SEED_TITLE = "Hội nghị chuyên đề “Thực trạng, tình hình công tác kết nạp đảng viên”"

MONTHS = (
    "Một",
    "Hai",
    "Ba",
    "Tư",
    "Năm",
    "Sáu",
    "Bảy",
    "Tám",
    "Chín",
    "Mười",
    "Mười Một",
    "Mười Hai",
)


def dump(
    *,
    date="21 Tháng Tư 2017 8:25:00 SA",
    category="Thông báo",
    title="Thông báo lịch tiếp công dân",
    body=("Ủy ban nhân dân quận thông báo lịch tiếp công dân.",),
    captions=(),
    views=120,
    odometer=1234,
    newline="\n",
) -> str:
    """A dump in the portal's format: each caption followed by its photo line."""
    lines = ["SỐ LƯỢT TRUY CẬP", "", *str(odometer), f"{category} {date}", ""]
    lines += [title, ""]
    for paragraph in body:
        lines += [paragraph, ""]
    for caption in captions:
        lines += [f"{caption}.\xa0", "", "\xa0", "", "Nội dung sau ảnh.", ""]
    lines += [f"Số lượt người xem: {views}", "", "TIN MỚI HƠN", "", "TIN ĐÃ ĐƯA"]
    return newline.join(lines)


def write(folder: Path, name: str, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def import_legacy(*args) -> tuple[str, str]:
    """Run the command; returns (stdout, stderr). Raises CommandError on failure."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_legacy", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing_import(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_legacy", *map(str, args), stdout=out, stderr=err)
    assert raised.value.returncode == 1
    return out.getvalue(), err.getvalue()


def body_of(article: ArticlePage) -> list[tuple[str, object]]:
    """The body as (block type, HTML or (image, caption)) pairs, in order."""
    blocks = []
    for block in article.body:
        if block.block_type == "paragraph":
            blocks.append(("paragraph", block.value.source))
        else:
            blocks.append(("image", (block.value["image"], block.value["caption"])))
    return blocks


def default_site() -> Site:
    return Site.objects.get(is_default_site=True)


# --- the seed dump ------------------------------------------------------------


@pytest.mark.django_db
def test_seed_dump_end_to_end():
    out, _ = import_legacy(SEED)

    assert "created: 1" in out
    assert "failed: 0" in out
    article = ArticlePage.objects.get()
    category = article.get_parent().specific
    assert isinstance(category, CategoryPage)
    assert category.title == "Tin tức sự kiện"
    assert category.slug == "tin-tuc-su-kien"
    assert category.live
    assert article.live and not article.has_unpublished_changes
    assert article.title == SEED_TITLE
    assert article.published_at == vn_time(2017, 4, 21, 8, 25)
    assert article.first_published_at == vn_time(2017, 4, 21, 8, 25)
    assert article.legacy_key == "legacy:000_c3bccbfadf54e677"
    assert article.get_excerpt().startswith("Vừa qua, Ban thường vụ Quận ủy")

    blocks = body_of(article)
    assert [kind for kind, _ in blocks] == [
        "paragraph",
        "paragraph",
        "image",
        "paragraph",
        "paragraph",
        "paragraph",
    ]
    assert blocks[2] == ("image", (None, "Quang cảnh hội nghị"))
    ordered_list = blocks[4][1]
    assert ordered_list.startswith("<ol><li>Tăng cường công tác quán triệt")
    assert ordered_list.count("<li>") == 6
    assert (
        "<li>6. " not in ordered_list and "<li>Tăng cường trách nhiệm" in ordered_list
    )
    assert blocks[5][1].startswith("<p>Đảng bộ Quận 11 hiện có 43")

    assert view_count(page=article) == 3191
    assert visit_count(site=default_site()) == 37_453_905
    assert Revision.page_revisions.filter(object_id=str(article.pk)).count() == 1


@pytest.mark.django_db
def test_imported_articles_are_found_by_search(tmp_path):
    write(tmp_path, "a.txt", dump(title="Lịch tiếp công dân quý ba"))
    write(tmp_path, "b.txt", dump(title="Ngày hội hiến máu tình nguyện"))
    import_legacy(tmp_path)

    found = ArticlePage.objects.live().search("hiến máu")
    assert [article.title for article in found] == ["Ngày hội hiến máu tình nguyện"]


@pytest.mark.django_db
def test_articles_saved_outside_an_import_are_still_indexed_at_once(category):
    make_article(category=category, title="Khai mạc hội chợ xuân")
    found = ArticlePage.objects.live().search("hội chợ")
    assert [article.title for article in found] == ["Khai mạc hội chợ xuân"]


# --- variations ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("1 Tháng Mười Hai 2019 12:30:00 CH", vn_time(2019, 12, 1, 12, 30)),
        ("1 Tháng Mười Hai 2019 12:05:00 SA", vn_time(2019, 12, 1, 0, 5)),
        ("15 Tháng Sáu 2018 3:45:10 CH", vn_time(2018, 6, 15, 15, 45, 10)),
        ("15 Tháng Sáu 2018 11:59:00 SA", vn_time(2018, 6, 15, 11, 59)),
    ],
)
def test_afternoon_and_twelve_oclock_times_with_crlf(tmp_path, date, expected):
    path = write(tmp_path, "crlf.txt", dump(date=date, newline="\r\n"))
    assert b"\r\n" in path.read_bytes()
    import_legacy(path)

    article = ArticlePage.objects.get()
    assert article.published_at == expected
    assert article.first_published_at == expected
    assert article.get_parent().title == "Thông báo"
    assert body_of(article) == [
        ("paragraph", "<p>Ủy ban nhân dân quận thông báo lịch tiếp công dân.</p>")
    ]


@pytest.mark.django_db
def test_every_month_name(tmp_path):
    for number, month in enumerate(MONTHS, 1):
        text = dump(
            date=f"{number} Tháng {month} 2016 9:00:00 SA", title=f"Bài {number}"
        )
        write(tmp_path / "dumps", f"{number:02d}.txt", text)
    out, _ = import_legacy(tmp_path / "dumps")

    assert "created: 12" in out
    published = dict(ArticlePage.objects.values_list("title", "published_at"))
    assert published == {
        f"Bài {number}": vn_time(2016, number, number, 9, 0) for number in range(1, 13)
    }
    assert CategoryPage.objects.count() == 1  # created once, on first sight


@pytest.mark.django_db
def test_several_captions_and_none(tmp_path):
    write(tmp_path, "three.txt", dump(captions=("Ảnh một", "Ảnh hai", "Ảnh ba")))
    write(tmp_path, "none.txt", dump(title="Không có ảnh", captions=()))
    import_legacy(tmp_path)

    three = ArticlePage.objects.get(legacy_key="legacy:three")
    captions = [value for kind, value in body_of(three) if kind == "image"]
    assert captions == [(None, "Ảnh một"), (None, "Ảnh hai"), (None, "Ảnh ba")]
    assert three.feature_image is None
    none = ArticlePage.objects.get(legacy_key="legacy:none")
    assert [kind for kind, _ in body_of(none)] == ["paragraph"]


@pytest.mark.django_db
def test_images_attach_to_their_captions(tmp_path):
    dumps, photos = tmp_path / "dumps", tmp_path / "photos"
    write(
        dumps, "hoi-nghi.txt", dump(captions=("Quang cảnh", "Đại biểu", "Khen thưởng"))
    )
    write(photos, "hoi-nghi-1.JPG", image_bytes(colour=(200, 30, 30)))
    write(photos, "hoi-nghi-3.png", image_bytes(colour=(30, 200, 30), fmt="PNG"))
    write(photos, "other-dump-2.webp", image_bytes(fmt="WEBP"))

    out, _ = import_legacy(dumps, "--images", photos)

    assert "created: 1" in out
    article = ArticlePage.objects.get()
    images = [value for kind, value in body_of(article) if kind == "image"]
    assert [caption for _, caption in images] == [
        "Quang cảnh",
        "Đại biểu",
        "Khen thưởng",
    ]
    first, second, third = (image for image, _ in images)
    assert second is None
    assert first.caption == "Quang cảnh" and first.width == 640
    assert third.caption == "Khen thưởng"
    assert article.feature_image == first
    assert NewsImage.objects.count() == 2
    assert set(first.renditions.values_list("filter_spec", flat=True)) >= {
        "fill-400x300",
        "max-800x800",
        "max-1600x1600",
    }

    # Importing again reuses the uploaded photos (same bytes) and changes nothing.
    out, _ = import_legacy(dumps, "--images", photos)
    assert "unchanged: 1" in out
    assert NewsImage.objects.count() == 2


@pytest.mark.django_db
def test_a_photo_beyond_the_captions_is_noted_not_attached(tmp_path):
    write(tmp_path / "dumps", "bai.txt", dump(captions=("Một ảnh",)))
    write(tmp_path / "photos", "bai-2.jpg", image_bytes())
    out, _ = import_legacy(tmp_path / "dumps", "--images", tmp_path / "photos")
    assert "bai-2.jpg left out: the dump has 1 caption(s)" in out
    assert NewsImage.objects.count() == 0


# --- broken files -------------------------------------------------------------


@pytest.mark.django_db
def test_broken_files_are_named_with_their_reason_and_the_rest_import(tmp_path):
    dumps, photos = tmp_path / "dumps", tmp_path / "photos"
    write(dumps, "good.txt", dump(title="Bài tốt"))
    write(dumps, "empty.txt", " \n\xa0\n")
    write(dumps, "no-date.txt", dump().replace("21 Tháng Tư 2017 8:25:00 SA", ""))
    write(dumps, "no-title.txt", dump(title="", body=()))
    write(dumps, "latin1.txt", dump().encode("cp1258", errors="replace"))
    write(dumps, "bad-photo.txt", dump(title="Ảnh hỏng", captions=("Ảnh",)))
    write(photos, "bad-photo-1.jpg", b"this is not a picture")
    write(dumps, "gif-photo.txt", dump(title="Ảnh GIF", captions=("Ảnh",)))
    write(photos, "gif-photo-1.png", image_bytes(fmt="GIF"))
    write(dumps, "notes.md", "not a dump: ignored in a folder")

    out, err = failing_import(dumps, tmp_path / "missing.txt", "--images", photos)

    reasons = {
        "empty.txt": "empty file",
        "no-date.txt": "no date line",
        "no-title.txt": "no title",
        "latin1.txt": "not UTF-8 text",
        "bad-photo.txt": "photo bad-photo-1.jpg is not a readable image",
        "gif-photo.txt": "photo gif-photo-1.png is GIF, not a JPEG, PNG or WebP",
        "missing.txt": "no such file",
    }
    failed_lines = [line for line in err.splitlines() if line.startswith("FAILED")]
    assert len(failed_lines) == len(reasons)
    for name, reason in reasons.items():
        assert any(name in line and reason in line for line in failed_lines), name
    assert "created: 1" in out and "failed: 7" in out
    assert list(ArticlePage.objects.values_list("title", flat=True)) == ["Bài tốt"]
    assert NewsImage.objects.count() == 0


@pytest.mark.django_db
def test_a_dump_cut_short_is_refused_and_nothing_is_written(tmp_path):
    seed = SEED.read_bytes()
    write(tmp_path, "cut-301.txt", seed[:301])
    write(tmp_path, "no-links.txt", seed.split("TIN MỚI HƠN".encode())[0])

    out, err = failing_import(tmp_path)

    assert "cut-301.txt: no view-count line" in err
    assert "cut short" in err
    assert 'no-links.txt: no "TIN MỚI HƠN" / "TIN ĐÃ ĐƯA" section' in err
    assert "created: 0" in out and "failed: 2" in out
    assert not ArticlePage.objects.exists()
    assert not CategoryPage.objects.exists()
    assert visit_count(site=Site.objects.get(is_default_site=True)) == 0


@pytest.mark.django_db
def test_a_dump_over_the_size_limit_is_refused_unless_the_limit_is_raised(tmp_path):
    # A real page with 6 MB of filler in its body: over the 5 MB default.
    text = SEED.read_text("utf-8")
    padded = text.replace("Đảng bộ Quận 11", "x " * (3 * 2**20) + "Đảng bộ Quận 11", 1)
    big = write(tmp_path, "big.txt", padded)
    assert big.stat().st_size > 6 * 2**20

    out, err = failing_import(big)
    assert "big.txt: larger than the 5 MB limit (--max-size to raise it)" in err
    assert "failed: 1" in out and not ArticlePage.objects.exists()

    out, err = failing_import(big, "--max-size", "0.5")
    assert "larger than the 0.5 MB limit" in err

    out, _ = import_legacy(big, "--max-size", "7")
    assert "created: 1" in out
    assert ArticlePage.objects.get().title == SEED_TITLE


def test_the_size_limit_reads_no_more_than_it_allows(tmp_path, monkeypatch):
    path = write(tmp_path, "big.txt", b"x" * 10_000)
    reads = []
    real_open = Path.open

    def recording_open(self, *args, **kwargs):
        handle = real_open(self, *args, **kwargs)
        real_read = handle.read
        handle.read = lambda size=-1: reads.append(size) or real_read(size)
        return handle

    monkeypatch.setattr(Path, "open", recording_open)
    with pytest.raises(run.LegacyParseError, match="larger than the 1,000 bytes"):
        run._read_at_most(path, 1000)
    assert reads == [1001]


def test_max_size_must_be_a_positive_number(tmp_path):
    for value in ("abc", "0", "-1"):
        with pytest.raises(CommandError):
            call_command("import_legacy", str(tmp_path), "--max-size", value)


@pytest.mark.django_db
def test_two_dumps_with_one_name_do_not_overwrite_each_other(tmp_path):
    write(tmp_path / "a", "bai.txt", dump(title="Bài trong a"))
    write(tmp_path / "b", "bai.txt", dump(title="Bài trong b"))
    report = import_dumps(paths=[tmp_path / "a", tmp_path / "b"])

    assert [result.outcome for result in report.results] == [
        Outcome.CREATED,
        Outcome.FAILED,
    ]
    assert "same source key as" in report.failed[0].reason
    assert ArticlePage.objects.get().title == "Bài trong a"


@pytest.mark.django_db
def test_a_failure_while_saving_leaves_nothing_half_written(tmp_path, monkeypatch):
    write(tmp_path / "dumps", "bai.txt", dump(captions=("Ảnh",), views=50))
    write(tmp_path / "photos", "bai-1.jpg", image_bytes())

    def broken(**kwargs):
        raise RuntimeError("disk full")

    # The view count is the last write of an article: page, revision, category
    # and photo are all saved by then.
    monkeypatch.setattr(run, "raise_view_count", broken)
    _, err = failing_import(tmp_path / "dumps", "--images", tmp_path / "photos")

    assert "not saved: RuntimeError: disk full" in err
    assert ArticlePage.objects.count() == 0
    assert CategoryPage.objects.count() == 0
    assert Revision.objects.count() == 0
    assert NewsImage.objects.count() == 0
    stored = Path(settings.MEDIA_ROOT)
    assert not [p for p in stored.rglob("bai-1*") if p.is_file()]  # photo files too
    assert PageViewCount.objects.count() == 0
    assert not SiteVisitCount.objects.exists()  # nothing imported, nothing counted
    assert not ArticlePage.objects.search("tiếp công dân")


# --- re-runs and counts -------------------------------------------------------


@pytest.mark.django_db
def test_a_second_run_changes_nothing():
    import_legacy(SEED)
    article = ArticlePage.objects.get()
    revisions = Revision.page_revisions.filter(object_id=str(article.pk))
    before = (revisions.count(), article.last_published_at, article.latest_revision_id)

    out, _ = import_legacy(SEED)

    assert "unchanged: 1" in out and "created: 0" in out and "updated: 0" in out
    article.refresh_from_db()
    after = (revisions.count(), article.last_published_at, article.latest_revision_id)
    assert after == before
    assert ArticlePage.objects.count() == 1
    assert view_count(page=article) == 3191


@pytest.mark.django_db
def test_an_unchanged_dump_leaves_an_editors_draft_alone():
    import_legacy(SEED)
    article = ArticlePage.objects.get()
    article.title = "Bản nháp của biên tập viên"
    article.save_revision()

    out, _ = import_legacy(SEED)

    assert "unchanged: 1" in out
    article.refresh_from_db()
    assert article.has_unpublished_changes
    assert article.get_latest_revision_as_object().title == "Bản nháp của biên tập viên"


@pytest.mark.django_db
def test_a_changed_dump_updates_the_article_in_place(tmp_path):
    path = write(tmp_path, "bai.txt", dump(title="Tiêu đề cũ", category="Thông báo"))
    import_legacy(path)
    article = ArticlePage.objects.get()
    slug = article.slug

    write(
        tmp_path,
        "bai.txt",
        dump(
            title="Tiêu đề mới",
            category="Tin tức sự kiện",
            date="2 Tháng Năm 2017 4:00:00 CH",
            body=("Đoạn một.", "Đoạn hai."),
        ),
    )
    out, _ = import_legacy(path)

    assert "updated: 1" in out
    updated = ArticlePage.objects.get()
    assert updated.pk == article.pk
    assert updated.title == "Tiêu đề mới"
    assert updated.slug == slug  # the URL holds
    assert updated.get_parent().title == "Tin tức sự kiện"
    assert updated.published_at == vn_time(2017, 5, 2, 16, 0)
    assert updated.first_published_at == vn_time(2017, 5, 2, 16, 0)
    assert [html for _, html in body_of(updated)] == [
        "<p>Đoạn một.</p>",
        "<p>Đoạn hai.</p>",
    ]
    assert Revision.page_revisions.filter(object_id=str(article.pk)).count() == 2
    assert [a.title for a in ArticlePage.objects.search("mới")] == ["Tiêu đề mới"]


@pytest.mark.django_db
def test_a_live_count_above_the_dumps_is_kept(tmp_path):
    path = write(tmp_path, "bai.txt", dump(views=120, odometer=5000))
    import_legacy(path)
    article = ArticlePage.objects.get()
    assert view_count(page=article) == 120
    raise_view_count(page=article, at_least=900)  # readers kept reading
    raise_visit_count(site=default_site(), at_least=80_000)

    write(tmp_path, "bai.txt", dump(views=150, odometer=6000, title="Sửa tiêu đề"))
    out, _ = import_legacy(path)

    assert "updated: 1" in out
    assert view_count(page=article) == 900
    assert visit_count(site=default_site()) == 80_000
    assert "site visit counter: 80,000" in out


@pytest.mark.django_db
def test_the_site_counter_becomes_the_largest_odometer_seen(tmp_path):
    write(tmp_path, "a.txt", dump(title="A", odometer=37_000_001))
    write(tmp_path, "b.txt", dump(title="B", odometer=37_453_905))
    write(tmp_path, "c.txt", dump(title="C", odometer=36_999_999))
    import_legacy(tmp_path)
    assert visit_count(site=default_site()) == 37_453_905


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("counts", "field", "shown"),
    [
        (
            {"views": 9_223_372_036_854_775_000},
            'view count ("Số lượt người xem")',
            "9,223,372,036,854,775,000",
        ),
        (
            {"odometer": 10**29},
            'site visit counter ("SỐ LƯỢT TRUY CẬP")',
            "30 digits",
        ),
        ({"views": "9" * 5000}, 'view count ("Số lượt người xem")', "5000 digits"),
    ],
)
def test_an_absurd_count_fails_its_dump_before_anything_is_written(
    tmp_path, counts, field, shown
):
    write(tmp_path, "a_good.txt", dump(title="Bài tốt", views=120, odometer=5000))
    bad = write(tmp_path, "b_bad.txt", dump(title="Bài hỏng", **counts))
    write(tmp_path, "c_good.txt", dump(title="Bài tốt nữa", odometer=6000))

    out, err = failing_import(tmp_path)

    assert f"FAILED {bad}: {field} {shown} is above the largest accepted" in err
    assert "1,000,000,000,000" in err
    assert "created: 2" in out and "failed: 1" in out
    assert sorted(ArticlePage.objects.values_list("title", flat=True)) == [
        "Bài tốt",
        "Bài tốt nữa",
    ]
    assert visit_count(site=default_site()) == 6000
    # The dry run refuses it the same way.
    out, err = failing_import(bad, "--dry-run")
    assert f"FAILED {bad}: {field}" in err


@pytest.mark.django_db
def test_the_largest_accepted_count_imports(tmp_path):
    write(tmp_path, "bai.txt", dump(views=10**12, odometer=10**12))
    import_legacy(tmp_path)
    assert view_count(page=ArticlePage.objects.get()) == 10**12
    assert visit_count(site=default_site()) == 10**12


# --- dry run, progress, the module -------------------------------------------


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path):
    write(tmp_path / "dumps", "bai.txt", dump(captions=("Ảnh",)))
    write(tmp_path / "photos", "bai-1.jpg", image_bytes())
    shutil.copy(SEED, tmp_path / "dumps" / SEED.name)
    write(tmp_path / "dumps", "empty.txt", "")

    out, err = failing_import(
        tmp_path / "dumps", "--images", tmp_path / "photos", "--dry-run"
    )

    assert "Dry run" in out and "created: 2" in out and "failed: 1" in out
    assert "empty.txt: empty file" in err
    assert ArticlePage.objects.count() == 0
    assert CategoryPage.objects.count() == 0
    assert NewsImage.objects.count() == 0
    assert not PageViewCount.objects.exists()
    assert not SiteVisitCount.objects.exists()


@pytest.mark.django_db
def test_dry_run_after_an_import_tells_unchanged_from_updated(tmp_path):
    write(tmp_path, "same.txt", dump(title="Giữ nguyên"))
    changing = write(tmp_path, "changing.txt", dump(title="Trước"))
    import_legacy(tmp_path)
    write(tmp_path, changing.name, dump(title="Sau"))

    report = import_dumps(paths=[tmp_path], dry_run=True)

    outcomes = {result.path.name: result.outcome for result in report.results}
    assert outcomes == {"same.txt": Outcome.UNCHANGED, "changing.txt": Outcome.UPDATED}
    assert ArticlePage.objects.get(legacy_key="legacy:changing").title == "Trước"


@pytest.mark.django_db
def test_progress_bar_only_for_many_files(tmp_path, monkeypatch, capsys):
    from articles.management.commands import import_legacy as command

    for number in range(3):
        write(tmp_path, f"{number}.txt", dump(title=f"Bài {number}"))
    import_legacy(tmp_path)
    assert "3/3" not in capsys.readouterr().err  # few files, no terminal: no bar

    monkeypatch.setattr(command, "PROGRESS_BAR_FROM", 3)
    import_legacy(tmp_path)
    assert "3/3" in capsys.readouterr().err  # tqdm draws on the process's stderr


def test_images_must_be_a_folder(tmp_path):
    with pytest.raises(CommandError, match="not a folder"):
        call_command("import_legacy", str(SEED), "--images", str(tmp_path / "nope"))


@pytest.mark.django_db
def test_demo_loader_still_loads_once():
    load_demo(log=lambda line: None)
    articles = ArticlePage.objects.count()
    revisions = Revision.objects.count()
    load_demo(log=lambda line: None)

    assert articles == 5
    assert ArticlePage.objects.count() == articles
    assert Revision.objects.count() == revisions
    seed = ArticlePage.objects.get(legacy_key="legacy:000_c3bccbfadf54e677")
    assert seed.first_published_at == vn_time(2017, 4, 21, 8, 25)
    assert seed.feature_image is not None


@pytest.mark.django_db
def test_a_higher_count_in_an_otherwise_unchanged_dump_is_an_update(tmp_path):
    path = write(tmp_path, "bai.txt", dump(views=250))
    import_legacy(path)
    write(tmp_path, "bai.txt", dump(views=400))

    dry_out, _ = import_legacy(path, "--dry-run")
    assert "updated: 1" in dry_out
    out, _ = import_legacy(path)

    assert "updated: 1" in out and "unchanged: 0" in out
    assert view_count(page=ArticlePage.objects.get()) == 400
