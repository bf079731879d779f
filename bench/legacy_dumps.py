"""Realistic legacy dumps for the import benchmark, built from the seed article.

Each dump has the seed's shape and size (odometer, category and date line,
title, a few paragraphs, sometimes a numbered list, 0-2 captions, the view
count, the portal's links), with its own title, date and counts; a third use
CRLF line endings, as many real files do.
"""

import random
from datetime import datetime, timedelta
from pathlib import Path

from articles.vietnamese import TIME_ZONE, format_portal_datetime

CATEGORIES = ("Tin tức sự kiện", "Thông báo", "Văn hóa - Xã hội", "Kinh tế")
SUBJECTS = (
    "Hội nghị chuyên đề",
    "Quận 11 tổ chức",
    "Phường 10 triển khai",
    "Ủy ban nhân dân quận thông báo",
    "Đoàn đại biểu thăm và làm việc",
    "Tổng kết công tác",
)
TOPICS = (
    "công tác kết nạp đảng viên",
    "cải cách hành chính năm 2017",
    "phòng chống dịch sốt xuất huyết",
    "chỉnh trang đô thị, lòng lề đường",
    "hiến máu tình nguyện đợt 2",
    "tiếp công dân định kỳ",
    "bảo đảm trật tự an toàn giao thông",
)
SENTENCES = (
    "Vừa qua, Ban thường vụ Quận ủy đã tổ chức hội nghị với sự tham dự của "
    "đại diện các chi bộ, đảng bộ cơ sở trên địa bàn quận.",
    "Nội dung thảo luận gồm các vấn đề: thực trạng, tình hình và kết quả thực "
    "hiện trong thời gian qua; các thuận lợi, khó khăn, vướng mắc, hạn chế.",
    "Đại biểu đề xuất các giải pháp, kiến nghị ở các bước, các khâu trong quy "
    "trình thực hiện như: việc bình xét, công nhận, giới thiệu, bồi dưỡng.",
    "Đảng bộ Quận 11 hiện có 43 tổ chức cơ sở đảng, 217 chi bộ và 4.356 đảng "
    "viên đang sinh hoạt ở các loại hình tổ chức đảng.",
    "Ủy ban nhân dân quận đề nghị các phường phối hợp chặt chẽ với các ban "
    "ngành, đoàn thể để triển khai kế hoạch đúng tiến độ.",
    "Lãnh đạo quận ghi nhận những kết quả đạt được, đồng thời chỉ ra một số "
    "hạn chế cần khắc phục trong năm tới.",
)
CAPTIONS = ("Quang cảnh hội nghị", "Đại biểu phát biểu", "Lãnh đạo quận trao giấy khen")


def dump_text(number: int, rng: random.Random) -> str:
    """The text of dump ``number``: about the seed's size (5-7 kB)."""
    published = datetime(2012, 1, 1, 7, 0, tzinfo=TIME_ZONE) + timedelta(
        minutes=rng.randrange(0, 6 * 365 * 24 * 60)
    )
    odometer = 30_000_000 + number * 37
    lines = ["SỐ LƯỢT TRUY CẬP", "", *str(odometer)]
    lines.append(f"{rng.choice(CATEGORIES)} {format_portal_datetime(published)}")
    lines += ["", f"{rng.choice(SUBJECTS)} “{rng.choice(TOPICS)}” (số {number})", ""]
    for _ in range(rng.randint(4, 6)):
        lines += [" ".join(rng.sample(SENTENCES, k=rng.randint(3, 6))), ""]
    if rng.random() < 0.6:
        for item in range(1, rng.randint(3, 7)):
            lines += [f"{item}. {rng.choice(SENTENCES)}", ""]
    for caption in rng.sample(CAPTIONS, k=rng.randint(0, 2)):
        lines += [f"{caption}.\xa0", "", "", "\xa0", ""]
        lines += [" ".join(rng.sample(SENTENCES, k=3)), ""]
    lines += [f"Số lượt người xem: {rng.randint(0, 20_000)}\xa0\xa0", ""]
    lines += ["TIN MỚI HƠN", "", "TIN ĐÃ ĐƯA"]
    newline = "\r\n" if number % 3 == 0 else "\n"
    return newline.join(lines)


def write_dumps(folder: Path, *, count: int, seed: int = 11) -> list[Path]:
    """Write ``count`` dumps into ``folder`` (same seed, same files)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"{number:05d}_bench.txt"
        path.write_bytes(dump_text(number, rng).encode("utf-8"))
        paths.append(path)
    return paths
