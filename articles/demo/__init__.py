"""Demo content for ``make run``: the legacy seed article and a few more.

Loading twice changes nothing: an article whose source key exists is left as
it is (an editor may have changed it), images are found by title, categories by
slug.
"""

import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from wagtail.models import Site
from wagtail.rich_text import RichText

from articles.demo.pictures import draw_picture
from articles.importers.convert import article_data, dump_content, legacy_key
from articles.importers.legacy import parse_legacy_dump
from articles.importers.store import store_article
from articles.models import ArticlePage
from articles.services import (
    ArticleData,
    get_or_create_category,
    get_or_create_image,
    upsert_article,
)
from articles.vietnamese import TIME_ZONE
from counters.services import raise_view_count, raise_visit_count

SEED_DUMP = Path(__file__).with_name("seed_article.txt")
SEED_STEM = "000_c3bccbfadf54e677"

CATEGORIES = {
    "Tin tức sự kiện": "Tin hoạt động của Quận ủy, UBND quận và các phường.",
    "Thông báo": "Thông báo, lịch tiếp công dân và thủ tục hành chính.",
}


@dataclass(frozen=True)
class DemoArticle:
    key: str
    category: str
    title: str
    published_at: datetime
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...]
    picture: tuple[tuple[int, int, int], tuple[int, int, int]]


def _at(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TIME_ZONE)


DEMO_ARTICLES = (
    DemoArticle(
        key="demo:hoi-thao-chuyen-doi-so",
        category="Tin tức sự kiện",
        title="Quận 11 tổ chức hội thảo chuyển đổi số trong cải cách hành chính",
        published_at=_at(2017, 4, 10, 9, 30),
        paragraphs=(
            "Sáng nay, Ủy ban nhân dân Quận 11 tổ chức hội thảo về chuyển đổi số "
            "trong cải cách hành chính với sự tham dự của lãnh đạo 16 phường.",
            "Các đại biểu thảo luận việc số hóa hồ sơ, tiếp nhận và trả kết quả "
            "trực tuyến, giảm thời gian chờ đợi của người dân.",
        ),
        tags=("chuyển đổi số", "cải cách hành chính"),
        picture=((200, 225, 245), (120, 110, 100)),
    ),
    DemoArticle(
        key="demo:ngay-hoi-hien-mau",
        category="Tin tức sự kiện",
        title="Ngày hội hiến máu tình nguyện đợt 2 năm 2017",
        published_at=_at(2017, 5, 6, 7, 0),
        paragraphs=(
            "Hơn 500 đoàn viên, thanh niên và người dân đã tham gia ngày hội hiến "
            "máu tình nguyện do Quận đoàn phối hợp với Hội Chữ thập đỏ tổ chức.",
            "Ban tổ chức tiếp nhận 480 đơn vị máu, góp phần bảo đảm nguồn máu "
            "điều trị cho các bệnh viện trong dịp hè.",
        ),
        tags=("đoàn viên", "hiến máu"),
        picture=((250, 215, 215), (150, 60, 60)),
    ),
    DemoArticle(
        key="demo:lich-tiep-cong-dan-thang-5",
        category="Thông báo",
        title="Lịch tiếp công dân của lãnh đạo UBND quận tháng 5/2017",
        published_at=_at(2017, 4, 28, 14, 0),
        paragraphs=(
            "Ủy ban nhân dân Quận 11 thông báo lịch tiếp công dân định kỳ của "
            "Chủ tịch và các Phó Chủ tịch trong tháng 5 năm 2017.",
            "Công dân có nhu cầu vui lòng đăng ký trước tại Ban Tiếp công dân, "
            "số 270 Bình Thới, Phường 10.",
        ),
        tags=("tiếp công dân",),
        picture=((225, 235, 220), (90, 120, 80)),
    ),
    DemoArticle(
        key="demo:nghi-le-30-4",
        category="Thông báo",
        title="Thông báo nghỉ lễ 30/4 và 1/5 năm 2017",
        published_at=_at(2017, 4, 24, 16, 45),
        paragraphs=(
            "Thực hiện hướng dẫn của Thành phố, cán bộ, công chức quận được nghỉ "
            "lễ Ngày Giải phóng miền Nam và Quốc tế Lao động từ 29/4 đến hết 2/5.",
            "Bộ phận tiếp nhận hồ sơ một cửa làm việc trở lại từ sáng ngày 3/5.",
        ),
        tags=("nghỉ lễ",),
        picture=((255, 240, 200), (170, 120, 40)),
    ),
)


def load_demo(*, log=print) -> None:
    """Create or refresh the demo categories, images and articles."""
    categories = {
        name: get_or_create_category(name=name, description=description)
        for name, description in CATEGORIES.items()
    }
    with tempfile.TemporaryDirectory(prefix="newsdesk-demo-") as tmp:
        pictures = Path(tmp)
        _load_seed(categories, pictures, log)
        for demo in DEMO_ARTICLES:
            if ArticlePage.objects.filter(legacy_key=demo.key).exists():
                log(f"exists: {demo.title}")
                continue
            image = get_or_create_image(
                path=draw_picture(
                    pictures / f"{demo.key[5:]}.jpg",
                    sky=demo.picture[0],
                    ground=demo.picture[1],
                ),
                title=demo.title,
                caption=demo.title,
            )
            data = ArticleData(
                key=demo.key,
                title=demo.title,
                published_at=demo.published_at,
                body=[
                    ("paragraph", RichText(f"<p>{text}</p>"))
                    for text in demo.paragraphs
                ],
                feature_image=image,
                tags=demo.tags,
            )
            upsert_article(category=categories[demo.category], data=data)
            log(f"created: {demo.title}")


def _load_seed(categories, pictures: Path, log) -> None:
    if ArticlePage.objects.filter(legacy_key=legacy_key(SEED_STEM)).exists():
        log("exists: the legacy seed article")
        return
    parsed = parse_legacy_dump(SEED_DUMP.read_text(encoding="utf-8"))
    photo = get_or_create_image(
        path=draw_picture(
            pictures / "quang-canh-hoi-nghi.jpg",
            sky=(215, 220, 235),
            ground=(130, 90, 70),
        ),
        title=parsed.captions[0],
        caption=parsed.captions[0],
    )
    data = article_data(parsed, key=legacy_key(SEED_STEM), images={1: photo})
    category = categories.get(parsed.category) or get_or_create_category(
        name=parsed.category
    )
    data = ArticleData(**{**data.__dict__, "tags": ("đảng viên",)})
    # As the importer writes it, with its record: re-importing the sample
    # later merges into it (docs/import.md) and keeps the photo and the tag.
    article, _, _ = store_article(
        category=category,
        data=data,
        dump=dump_content(parsed, category_id=category.pk, images={1: photo}),
    )
    # The old page's counters: "Số lượt người xem: 3191" and the odometer.
    raise_view_count(page=article, at_least=parsed.view_count or 0)
    raise_visit_count(
        site=Site.objects.get(is_default_site=True),
        at_least=parsed.site_visit_count or 0,
    )
    log(f"created: {data.title}")
