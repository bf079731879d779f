"""A deterministic dataset for the golden answers (tests/api/test_golden.py).

Fixed ids (the id sequences restarted at fixed values), fixed times (the whole
build runs under a frozen clock, moved to each publication), fixed file names
(a fresh ``MEDIA_ROOT``) and fixed block ids: the same answers on every run.
It holds what every endpoint and parameter kind needs: two visible
categories and a hidden one, articles with and without excerpt, feature image,
tags and SEO fields, a rich body (links, embedded photo, every block type), two
articles published at the same instant, views today and earlier, and an article
hidden in each way a reader may not see it.
"""

import io
from dataclasses import dataclass
from datetime import datetime, timedelta

import time_machine
from django.core.files.images import ImageFile
from django.db import connection
from PIL import Image
from wagtail.models import Page, PageViewRestriction

from articles.models import ArticlePage, CategoryPage, NewsImage
from articles.previews import mint_preview_token
from articles.services import home_page
from articles.vietnamese import TIME_ZONE
from counters import buffer
from counters.services import count_view, flush_buffer, raise_view_count
from counters.visitors import Visitor

#: The instant every answer is read at.
NOW = datetime(2024, 3, 15, 10, 0, tzinfo=TIME_ZONE)
FIRST_PAGE_ID = 7001
FIRST_IMAGE_ID = 801


def at(day: int, hour: int = 8, minute: int = 0, *, month: int = 1) -> datetime:
    return datetime(2024, month, day, hour, minute, tzinfo=TIME_ZONE)


@dataclass
class Dataset:
    articles: dict[str, ArticlePage]
    hidden: dict[str, ArticlePage]
    categories: dict[str, CategoryPage]
    preview_tokens: dict[str, str]


def restart_ids(model, *, at_id: int) -> None:
    """The next row of ``model`` gets id ``at_id`` (SQLite and PostgreSQL)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
                [table, at_id],
            )
            return
        cursor.execute(
            "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [at_id - 1, table]
        )
        if cursor.rowcount == 0:
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                [table, at_id - 1],
            )


def _image(name: str, *, title: str, caption: str = "", credit: str = "", colour):
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), colour).save(buffer, "JPEG", quality=80)
    image = NewsImage(
        title=title,
        caption=caption,
        credit=credit,
        file=ImageFile(io.BytesIO(buffer.getvalue()), name=name),
    )
    image._set_image_file_metadata()
    image.save()  # makes the API renditions (articles.receivers)
    return image


def _category(title: str, description: str) -> CategoryPage:
    category = CategoryPage(title=title, description=description)
    home_page().add_child(instance=category)
    category.save_revision().publish()
    return category


def _block(n: int, kind: str, value) -> dict:
    return {"type": kind, "value": value, "id": f"00000000-0000-4000-8000-{n:012d}"}


def _article(
    clock, category: CategoryPage, *, title: str, published_at, body, **fields
) -> ArticlePage:
    """Published an hour after ``published_at`` (its ``updated_at``)."""
    clock.move_to(published_at + timedelta(hours=1))
    tags = fields.pop("tags", ())
    article = ArticlePage(
        title=title, body=body, published_at=published_at, live=False, **fields
    )
    category.add_child(instance=article)
    article.tags.add(*tags)
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def _paragraph(n: int, html: str) -> dict:
    return _block(n, "paragraph", html)


def build(*, editor) -> Dataset:
    """The dataset, built in the current (test) database."""
    restart_ids(Page, at_id=FIRST_PAGE_ID)
    restart_ids(NewsImage, at_id=FIRST_IMAGE_ID)
    with time_machine.travel(at(2, month=1), tick=False) as clock:
        news = _category("Tin tức sự kiện", "Tin hoạt động của quận và phường.")
        notices = _category("Thông báo", "")
        archive = _category("Lưu trữ", "Bài cũ.")
        hall = _image(
            "golden-hall.jpg",
            title="Hội trường",
            caption="Quang cảnh hội nghị",
            credit="Ảnh: Quận 11",
            colour=(30, 120, 200),
        )
        street = _image("golden-street.jpg", title="Đường phố", colour=(200, 90, 40))

        youth = _article(
            clock,
            news,
            title="Đại hội Đoàn phường 5 nhiệm kỳ 2024",
            published_at=at(3),
            body=[
                _paragraph(1, "<p>Sáng 3/1, Đoàn phường 5 tổ chức đại hội.</p>"),
                _paragraph(2, "<p>Đại hội bầu ban chấp hành mới.</p>"),
            ],
            tags=["Đoàn thanh niên"],
        )
        rich_body = [
            _paragraph(
                3,
                "<p>Hội nghị <b>chuyên đề</b> về công tác kết nạp đảng viên, xem "
                f'<a linktype="page" id="{youth.pk}">đại hội Đoàn</a>.</p>'
                f'<embed embedtype="image" id="{street.pk}" format="left" alt="Phố"/>',
            ),
            _block(4, "image", {"image": hall.pk, "caption": "Đại biểu", "alt": ""}),
            _block(5, "heading", {"text": "Kết quả", "level": "2"}),
            _paragraph(
                6, "<ol><li>Kết nạp 12 đảng viên.</li><li>Khen thưởng.</li></ol>"
            ),
            _block(
                7, "quote", {"text": "Đảng viên là hạt nhân.", "attribution": "Bí thư"}
            ),
            _block(8, "embed", "https://www.youtube.com/watch?v=golden"),
        ]
        party = _article(
            clock,
            news,
            title="Hội nghị chuyên đề công tác kết nạp đảng viên",
            published_at=at(5),
            body=rich_body,
            excerpt="Quận ủy Quận 11 tổ chức hội nghị chuyên đề.",
            feature_image=hall,
            tags=["Đảng", "Hội nghị"],
        )
        members = _article(
            clock,
            news,
            title="Kết nạp đảng viên mới tại phường 7",
            published_at=at(8),
            body=[_paragraph(9, "<p>Chi bộ khu phố kết nạp đảng viên mới.</p>")],
            feature_image=street,
            tags=["Đảng"],
        )
        twin = _article(
            clock,
            news,
            title="Ra quân làm sạch kênh rạch",
            published_at=at(8),
            body=[_paragraph(10, "<p>Hơn 200 đoàn viên ra quân.</p>")],
        )
        citizens = _article(
            clock,
            notices,
            title="Lịch tiếp công dân tháng 3",
            published_at=at(4),
            body=[_paragraph(11, "<p>Chủ tịch UBND quận tiếp công dân.</p>")],
            excerpt="Lịch tiếp công dân định kỳ.",
            feature_image=street,
            seo_title="Tiếp công dân tháng 3 năm 2024",
            search_description="Lịch tiếp công dân của UBND Quận 11.",
            tags=["Hội nghị"],
        )
        procedures = _article(
            clock,
            notices,
            title="Thủ tục cấp giấy phép xây dựng",
            published_at=at(10, 14, 30),
            body=[_paragraph(12, "<p>Hồ sơ nộp tại bộ phận một cửa.</p>")],
        )

        hidden = {
            "draft": _draft(clock, news),
            "future": _article(
                clock,
                news,
                title="Bài hẹn giờ đăng",
                published_at=at(1, month=4),
                body=[_paragraph(13, "<p>Chưa đến giờ.</p>")],
            ),
            "expired": _article(
                clock,
                news,
                title="Bài đã hết hạn",
                published_at=at(6),
                body=[_paragraph(14, "<p>Hết hạn.</p>")],
            ),
            "restricted": _article(
                clock,
                notices,
                title="Bài nội bộ",
                published_at=at(7),
                body=[_paragraph(15, "<p>Chỉ cán bộ.</p>")],
            ),
            "archived": _article(
                clock,
                archive,
                title="Bài trong chuyên mục ẩn",
                published_at=at(9),
                body=[_paragraph(16, "<p>Lưu trữ.</p>")],
            ),
        }
        ArticlePage.objects.filter(pk=hidden["expired"].pk).update(expire_at=at(1, 1))
        PageViewRestriction.objects.create(
            page=hidden["restricted"], restriction_type="password", password="x"
        )
        clock.move_to(at(1, month=3))
        archive.unpublish()

        # Views: some two weeks ago, most today; a legacy base on one article.
        for n in range(5):
            count_view(page=youth, visitor=Visitor(key=f"early-reader-{n}"))
        clock.move_to(NOW - timedelta(hours=1))
        for article, readers in ((party, 3), (citizens, 2), (youth, 1)):
            for n in range(readers):
                count_view(page=article, visitor=Visitor(key=f"reader-{n:04}"))
        raise_view_count(page=procedures, at_least=40)
        if buffer.enabled():
            flush_buffer()  # ordering by views reads the database's totals

        clock.move_to(NOW)
        draft = ArticlePage.objects.get(pk=party.pk)
        draft.title = "Hội nghị chuyên đề (bản nháp)"
        draft.excerpt = "Bản nháp của biên tập viên."
        unchanged = ArticlePage.objects.get(pk=citizens.pk)
        tokens = {
            "edited": mint_preview_token(page=draft, user=editor),
            "unchanged": mint_preview_token(page=unchanged, user=editor),
        }
    return Dataset(
        articles={
            "youth": youth,
            "party": party,
            "members": members,
            "twin": twin,
            "citizens": citizens,
            "procedures": procedures,
        },
        hidden=hidden,
        categories={"news": news, "notices": notices, "archive": archive},
        preview_tokens=tokens,
    )


def _draft(clock, category: CategoryPage) -> ArticlePage:
    clock.move_to(at(6))
    article = ArticlePage(
        title="Bản nháp chưa đăng",
        body=[_paragraph(17, "<p>Nháp.</p>")],
        live=False,
    )
    category.add_child(instance=article)
    article.save_revision()
    return article
