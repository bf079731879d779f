"""Media on S3-compatible storage (django-storages) against a real local S3
server (moto): uploads and their API renditions land in the bucket, and the
API's image URLs are on ``AWS_S3_CUSTOM_DOMAIN``."""

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from articles.models import NewsImage
from articles.renditions import API_RENDITIONS
from harness.s3 import moto_server
from tests.factories import image_bytes, make_article

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

BUCKET = "newsdesk-media"
CDN = "media.quan11.example.vn"


@pytest.fixture
def s3_bucket(needs_moto, settings):
    with moto_server() as endpoint:
        credentials = {
            "aws_access_key_id": "moto-key",
            "aws_secret_access_key": "moto-secret",
            "region_name": "us-east-1",
        }
        client = boto3.client("s3", endpoint_url=endpoint, **credentials)
        client.create_bucket(Bucket=BUCKET)
        storages = {
            **settings.STORAGES,
            "default": {"BACKEND": "storages.backends.s3.S3Storage"},
        }
        with override_settings(
            STORAGES=storages,
            AWS_STORAGE_BUCKET_NAME=BUCKET,
            AWS_S3_ENDPOINT_URL=endpoint,
            AWS_S3_REGION_NAME="us-east-1",
            AWS_ACCESS_KEY_ID="moto-key",
            AWS_SECRET_ACCESS_KEY="moto-secret",
            AWS_S3_CUSTOM_DOMAIN=CDN,
            AWS_QUERYSTRING_AUTH=False,
            AWS_S3_FILE_OVERWRITE=False,
        ):
            yield client


def keys(client) -> set[str]:
    listing = client.list_objects_v2(Bucket=BUCKET)
    return {item["Key"] for item in listing.get("Contents", [])}


def test_an_upload_and_its_renditions_are_stored_on_s3(s3_bucket, editor_client):
    upload = SimpleUploadedFile(
        "hoi-nghi.jpg", image_bytes(size=(2000, 1000)), content_type="image/jpeg"
    )
    response = editor_client.post(
        reverse("wagtailimages:add"),
        {"title": "Quang cảnh hội nghị", "file": upload, "caption": "Hội nghị"},
    )
    assert response.status_code == 302
    image = NewsImage.objects.get(title="Quang cảnh hội nghị")
    stored = keys(s3_bucket)
    assert image.file.name in stored
    renditions = {r.filter_spec: r for r in image.renditions.all()}
    assert set(renditions) == set(API_RENDITIONS.values())
    for rendition in renditions.values():
        assert rendition.file.name in stored
    # The rendition's pixels are what S3 holds (made from the original read back).
    thumbnail = renditions["fill-400x300"]
    body = s3_bucket.get_object(Bucket=BUCKET, Key=thumbnail.file.name)["Body"]
    assert body.read()[:2] == b"\xff\xd8"  # a JPEG
    assert (thumbnail.width, thumbnail.height) == (400, 300)


def test_the_api_gives_image_urls_on_the_custom_domain(s3_bucket, client, category):
    upload = SimpleUploadedFile("anh.jpg", image_bytes(), content_type="image/jpeg")
    image = NewsImage(title="Ảnh", file=upload)
    image._set_image_file_metadata()
    image.save()
    article = make_article(category=category, feature_image=image)

    data = client.get(f"/api/v1/articles/{article.pk}/").json()["feature_image"]

    assert data["url"] == f"https://{CDN}/{image.file.name}"
    stored = keys(s3_bucket)
    for name in API_RENDITIONS:
        url = data["renditions"][name]["url"]
        assert url.startswith(f"https://{CDN}/")
        assert url.removeprefix(f"https://{CDN}/") in stored
