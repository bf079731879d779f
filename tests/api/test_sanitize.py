"""Stored HTML that no editor writes (scripts, handlers, javascript: links,
foreign iframes) never reaches a reader: paragraphs, embeds and body_html are
sanitised by an allow-list (nh3) when the article's document is built."""

import pytest
from django.test import override_settings
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.rich_text import RichText

from api.models import ArticleDocument
from tests.factories import make_article, vn_time

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
YOUTUBE_FRAME = (
    '<iframe width="560" height="315" '
    'src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="Video" '
    'allowfullscreen=""></iframe>'
)
HOSTILE = (
    '<p onclick="steal()">Mở <a href="javascript:alert(1)">đây</a> hoặc '
    '<a href="/tin-tuc-su-kien/bai-khac/" onmouseover="x()">bài khác</a>'
    '<img src="x" onerror="alert(2)"></p>'
    "<script>document.cookie</script><style>body{display:none}</style>"
    '<iframe src="https://evil.example/phish"></iframe>'
    '<iframe srcdoc="<script>alert(3)</script>"></iframe>'
    '<p style="position:fixed">Chữ <a href="JaVaScRiPt:alert(4)">hoa</a></p>'
    '<form action="https://evil.example/"><input name="password"></form>'
)
KEPT = (
    "<ul><li>Một</li><li>Hai</li></ul><ol><li>Ba</li></ol>"
    "<table><thead><tr><th>Phường</th></tr></thead>"
    "<tbody><tr><td>Phường 1</td></tr></tbody></table>"
    '<p><a href="https://quan11.example.vn/">Cổng</a> '
    '<a href="mailto:ubnd@example.vn">thư</a></p>'
)
DANGEROUS = (
    "<script", "onclick", "onmouseover", "onerror", "javascript:", "JaVaScRiPt",
    "evil.example", "srcdoc", "<style", "style=", "<form", "<input", "document.cookie",
)  # fmt: skip


def detail(api, article):
    response = api.get(f"/api/v1/articles/{article.pk}/")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def hostile_article(category):
    Embed.objects.create(
        url=YOUTUBE,
        hash=get_embed_hash(YOUTUBE),
        html=YOUTUBE_FRAME + '<script src="https://evil.example/x.js"></script>',
        type="video",
        provider_name="YouTube",
    )
    Embed.objects.create(
        url="https://evil.example/post",
        hash=get_embed_hash("https://evil.example/post"),
        html='<iframe src="https://evil.example/embed" onload="x()"></iframe>'
        "<p>Bài đăng</p>",
        type="rich",
    )
    return make_article(
        category=category,
        published_at=vn_time(2020, 1, 1),
        body=[
            ("paragraph", RichText(HOSTILE)),
            ("paragraph", RichText(KEPT)),
            ("embed", YOUTUBE),
            ("embed", "https://evil.example/post"),
        ],
    )


def test_nothing_hostile_survives_in_blocks_or_body_html(api, hostile_article):
    data = detail(api, hostile_article)
    served = [block["value"].get("html", "") for block in data["body"]]
    served.append(data["body_html"])

    for html in served:
        for danger in DANGEROUS:
            assert danger not in html, (danger, html)
    first = data["body"][0]["value"]["html"]
    assert first.startswith("<p>Mở <a>đây</a> hoặc ")
    assert '<a href="/tin-tuc-su-kien/bai-khac/">bài khác</a>' in first
    assert '<img src="x">' in first
    assert "<p>Chữ <a>hoa</a></p>" in first


def test_lists_tables_links_and_allowed_embeds_are_kept(api, hostile_article):
    data = detail(api, hostile_article)

    assert data["body"][1]["value"]["html"] == KEPT
    assert data["body"][2]["value"]["html"] == YOUTUBE_FRAME
    # A foreign provider's iframe goes, its other content stays.
    assert data["body"][3]["value"]["html"] == "<p>Bài đăng</p>"
    html = data["body_html"]
    assert KEPT in html
    assert f'<div class="embed">{YOUTUBE_FRAME}</div>' in html
    assert '<div class="embed"><p>Bài đăng</p></div>' in html


def test_the_stored_document_holds_the_sanitised_html(api, hostile_article):
    # Sanitised once, when the document is built; reads serve it as stored.
    detail(api, hostile_article)
    stored = ArticleDocument.objects.get(article_id=hostile_article.pk).data
    assert "javascript:" not in stored and "<script" not in stored
    assert "youtube.com/embed/" in stored


@override_settings(EMBED_IFRAME_HOSTS=["player.vimeo.com"])
def test_the_allowed_providers_are_a_setting(api, hostile_article):
    data = detail(api, hostile_article)
    assert data["body"][2]["value"]["html"] == ""
    assert "<iframe" not in data["body_html"]


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(document.cookie)", " JavaScript:alert(1)", "data:text/html,x"],
)
def test_an_embed_url_that_is_not_a_web_address_never_reaches_a_reader(
    api, category, url
):
    """A direct write or an import stores what the admin's finder refuses."""
    article = make_article(
        category=category, published_at=vn_time(2020, 1, 1), body=[("embed", url)]
    )

    data = detail(api, article)

    assert data["body"][0]["value"] == {"url": "", "html": ""}
    assert "alert" not in data["body_html"] and "data:" not in data["body_html"]
