"""Images: API renditions made on save, uploads bounded with clear errors."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from articles.models import NewsImage
from articles.renditions import API_RENDITIONS
from tests.factories import image_bytes, make_image

pytestmark = pytest.mark.django_db


def rendition_sizes(image):
    return {r.filter_spec: (r.width, r.height) for r in image.renditions.all()}


def test_saving_an_image_makes_the_api_renditions():
    image = make_image(size=(2000, 1000))
    assert rendition_sizes(image) == {
        "fill-400x300": (400, 300),
        "max-800x800": (800, 400),
        "max-1600x1600": (1600, 800),
    }


def _upload(name="anh.jpg", content=None, content_type="image/jpeg"):
    content = image_bytes(size=(1200, 900)) if content is None else content
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_admin_upload_makes_renditions(editor_client):
    response = editor_client.post(
        reverse("wagtailimages:add"),
        {"title": "Quang cảnh hội nghị", "file": _upload(), "caption": "Hội nghị"},
    )
    assert response.status_code == 302
    image = NewsImage.objects.get(title="Quang cảnh hội nghị")
    assert image.caption == "Hội nghị"
    assert set(rendition_sizes(image)) == set(API_RENDITIONS.values())


def test_multiple_upload_makes_renditions(editor_client):
    response = editor_client.post(
        reverse("wagtailimages:add_multiple"), {"files[]": _upload("nhieu.jpg")}
    )
    assert response.status_code == 200
    assert response.json()["success"] is True
    image = NewsImage.objects.get()
    assert set(rendition_sizes(image)) == set(API_RENDITIONS.values())


def test_replacing_the_file_remakes_renditions_for_the_new_file(editor_client):
    image = make_image(size=(800, 600))
    response = editor_client.post(
        reverse("wagtailimages:edit", args=(image.pk,)),
        {
            "title": image.title,
            "file": SimpleUploadedFile(
                "rong.jpg", image_bytes(size=(3200, 1600)), "image/jpeg"
            ),
        },
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert rendition_sizes(image)["max-1600x1600"] == (1600, 800)


def test_a_file_that_is_not_an_image_is_refused(editor_client):
    response = editor_client.post(
        reverse("wagtailimages:add"),
        {"title": "Không phải ảnh", "file": _upload("bao-cao.jpg", b"%PDF-1.4 ...")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not NewsImage.objects.exists()


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=10_000)
def test_a_file_too_large_is_refused(editor_client):
    response = editor_client.post(
        reverse("wagtailimages:add"), {"title": "Quá lớn", "file": _upload()}
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert "10,0" in errors or "10.0" in errors or "KB" in errors
    assert not NewsImage.objects.exists()


@override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=100_000)
def test_an_image_with_too_many_pixels_is_refused(editor_client):
    response = editor_client.post(
        reverse("wagtailimages:add"), {"title": "Quá nhiều điểm ảnh", "file": _upload()}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not NewsImage.objects.exists()


def test_upload_limits_are_configured():
    from django.conf import settings

    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * 2**20
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 40_000_000


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG signature and an IHDR claiming ``width`` x ``height`` with a wrong
    checksum, an IDAT of nothing and the end: 69 bytes no decoder can open."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    chunks = [
        struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + b"\x00\x00\x00\x00",
        struct.pack(">I", 12) + b"IDAT" + b"\x78\x9c" + b"\x00" * 10 + b"\x00" * 4,
        struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND")),
    ]
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def _truncated_jpeg() -> bytes:
    whole = image_bytes(size=(1200, 900))
    return whole[: len(whole) // 2]


UNOPENABLE = [
    pytest.param("bomb.png", _png_claiming(100_000, 100_000), id="png-bad-checksum"),
    pytest.param("cut.jpg", _truncated_jpeg(), id="jpeg-truncated"),
]


@pytest.mark.parametrize(("name", "content"), UNOPENABLE)
def test_an_image_pillow_cannot_open_is_a_form_error(editor_client, name, content):
    response = editor_client.post(
        reverse("wagtailimages:add"),
        {"title": "Ảnh hỏng", "file": _upload(name, content, "image/png")},
    )

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert "hỏng" in errors  # the Vietnamese message
    assert not NewsImage.objects.exists()


@pytest.mark.parametrize(("name", "content"), UNOPENABLE)
def test_multiple_upload_refuses_an_image_pillow_cannot_open(
    editor_client, name, content
):
    response = editor_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": _upload(name, content, "image/png")},
    )

    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is False
    assert "hỏng" in answer["error_message"]
    assert not NewsImage.objects.exists()


def test_the_bad_png_is_the_one_of_the_report():
    assert len(_png_claiming(100_000, 100_000)) == 69
