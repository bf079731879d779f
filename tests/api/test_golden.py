"""Every read endpoint and parameter kind answers exactly what it answered when
the golden files were recorded (tests/data/golden/), byte for byte; and the
fields two endpoints both show of one article are equal everywhere.

The dataset is ``tests/api/golden.py``. Search ranks differently on each
database, so each database has its file. After a deliberate change of an
answer, record again with ``NEWSDESK_WRITE_GOLDEN=1`` and review the diff.
"""

import os
from pathlib import Path
from urllib.parse import urlencode

import pytest
import time_machine

from tests.api import golden

GOLDEN_DIR = Path(__file__).resolve().parent.parent / "data" / "golden"
WRITE = os.environ.get("NEWSDESK_WRITE_GOLDEN") == "1"
SHARED = ("title", "slug", "url", "category", "published_at", "feature_image")


@pytest.fixture
def dataset(db, settings, tmp_path, editor, counting_store):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.API_RESPONSE_CACHE_SECONDS = 0  # build every answer
    return golden.build(editor=editor)


@pytest.fixture
def frozen(dataset):
    with time_machine.travel(golden.NOW, tick=False):
        yield dataset


def requests(data: golden.Dataset) -> list[tuple[str, str, dict]]:
    """(label, path, headers) of every request recorded."""
    a, h, c = data.articles, data.hidden, data.categories
    lists = [
        {},
        {"page_size": 2},
        {"page_size": 2, "page": 2},
        {"page": 1, "page_size": 100},
        {"category": c["news"].slug},
        {"category": c["notices"].slug, "ordering": "title"},
        {"tag": "Đảng"},
        {"tag": "Hội nghị", "category": c["notices"].slug},
        {"published_after": "2024-01-05"},
        {"published_before": "2024-01-08T08:00:00+07:00"},
        {"published_after": "2024-01-04", "published_before": "2024-01-09"},
        *({"ordering": o} for o in ("-published_at", "published_at", "title")),
        *({"ordering": o} for o in ("-title", "-view_count", "view_count")),
        {"ordering": "-view_count", "page_size": 2, "page": 2},
        {"search": "ket nap"},
        {"search": "Kết nạp đảng viên"},
        {"search": "dang vien", "page_size": 1, "page": 2},
        {"search": "dang vien", "category": c["news"].slug},
        {"search": "dang", "tag": "Đảng", "published_after": "2024-01-06"},
        {"search": "tiep cong dan", "ordering": "title"},
    ]
    recorded = [("list", f"/api/v1/articles/?{urlencode(p)}", {}) for p in lists]
    for name, article in a.items():
        recorded.append((name, f"/api/v1/articles/{article.pk}/", {}))
    for name in ("party", "citizens"):
        path = f"/api/v1/articles/slug/{a[name].slug}/"
        recorded.append((name, path, {}))
    indent = {"HTTP_ACCEPT": "application/json; indent=4"}
    recorded.append(("indent", f"/api/v1/articles/{a['party'].pk}/", indent))
    for name, article in h.items():
        recorded.append((name, f"/api/v1/articles/{article.pk}/", {}))
        recorded.append((name, f"/api/v1/articles/slug/{article.slug}/", {}))
    recorded.append(("categories", "/api/v1/categories/", {}))
    for name, category in c.items():
        recorded.append((name, f"/api/v1/categories/{category.slug}/", {}))
    recorded.append(("site", "/api/v1/site/", {}))
    most_viewed = [
        {},
        *({"period": period} for period in ("day", "week", "month", "all")),
        {"period": "all", "category": c["notices"].slug},
        {"period": "month", "limit": 2},
    ]
    for params in most_viewed:
        path = f"/api/v1/articles/most-viewed/?{urlencode(params)}"
        recorded.append(("most-viewed", path, {}))
    for name, token in data.preview_tokens.items():
        path = f"/api/v1/preview/?{urlencode({'token': token})}"
        recorded.append((f"preview {name}", path, {}))
    return recorded


def answer(api, path: str, headers: dict) -> str:
    """The answer as recorded: status and type, and the body of a success
    (error texts are the errors' tests' business)."""
    response = api.get(path, **headers)
    head = f"{response.status_code} {response['Content-Type']}"
    if response.status_code != 200:
        return head
    return f"{head}\n{response.content.decode()}"


def record(api, data: golden.Dataset) -> str:
    blocks = []
    for label, path, headers in requests(data):
        first = answer(api, path, headers)
        # The second read is answered from the stored documents.
        assert answer(api, path, headers) == first, path
        shown = path.split("token=")[0] + "token=…" if "token=" in path else path
        accept = f" ({headers['HTTP_ACCEPT']})" if headers else ""
        blocks.append(f"GET {shown}{accept} [{label}]\n{first}\n")
    return "\n".join(blocks)


def test_every_answer_is_the_recorded_one(api, frozen):
    from django.db import connection

    path = GOLDEN_DIR / f"{connection.vendor}.txt"
    recorded = record(api, frozen)
    if WRITE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(recorded, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    for got, want in zip(recorded.split("\n\n"), expected.split("\n\n"), strict=True):
        assert got == want
    assert recorded == expected


def _shown(item: dict, fields=SHARED) -> dict:
    return {name: item[name] for name in fields if name in item}


def test_one_article_is_shown_alike_everywhere(api, frozen):
    """title, slug, url, category, published_at, feature_image and view_count
    of the same article are equal in the list, search, most viewed, the
    neighbours of another article, its detail and its preview."""
    article = frozen.articles["members"]
    detail = api.get(f"/api/v1/articles/{article.pk}/").json()
    seen = {"detail": detail}

    def find(results):
        return next(item for item in results if item["id"] == article.pk)

    seen["list"] = find(api.get("/api/v1/articles/").json()["results"])
    search = api.get("/api/v1/articles/", {"search": "ket nap phuong 7"}).json()
    seen["search"] = find(search["results"])
    api.post(
        f"/api/v1/articles/{article.pk}/views/",
        HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
        HTTP_X_VISITOR_ID="golden-reader",
    )
    after_view = api.get(f"/api/v1/articles/{article.pk}/").json()
    most = api.get("/api/v1/articles/most-viewed/", {"period": "day"}).json()
    seen["most-viewed"] = find(most["results"])
    party = api.get(f"/api/v1/articles/{frozen.articles['party'].pk}/").json()
    seen["related"] = find(party["related"])
    seen["newer"] = party["newer"]
    twin = api.get(f"/api/v1/articles/{frozen.articles['twin'].pk}/").json()
    seen["older"] = twin["older"]
    citizens = frozen.articles["citizens"]
    preview = api.get("/api/v1/preview/", {"token": frozen.preview_tokens["unchanged"]})
    published = api.get(f"/api/v1/articles/{citizens.pk}/").json()

    assert seen["newer"]["id"] == seen["older"]["id"] == article.pk
    for where, item in seen.items():
        shared = [name for name in SHARED if name in item]
        assert _shown(item, shared) == _shown(detail, shared), where
    for where in ("list", "search"):
        assert seen[where]["view_count"] == detail["view_count"]
    assert seen["most-viewed"]["view_count"] == after_view["view_count"]
    assert after_view["view_count"] == detail["view_count"] + 1
    fields = (*SHARED, "view_count", "excerpt", "tags", "body", "body_html", "seo")
    assert _shown(preview.json(), fields) == _shown(published, fields)
