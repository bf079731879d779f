"""The benchmark's dataset: N published articles, built fast and kept for reuse.

``python -m bench.dataset --articles 1000`` (the database is ``DATABASE_URL``,
else a SQLite file under ``bench/data/``). What it builds is real, only built
in bulk rather than one save at a time:

- 8 categories, published through Wagtail (revisions, tree, URLs);
- a pool of 8 photos saved through Wagtail (files and the API renditions made
  by ``articles.receivers``); each article has its own feature image row, with
  its own three rendition rows, pointing at one of the pool's files (so 100,000
  articles need no 400,000 resized files);
- N articles as treebeard children of the categories (``path``, ``depth``,
  ``numchild``, ``url_path`` as Wagtail computes them), live, with a body of
  the seed's size (a heading, paragraphs, a numbered list, 1-2 captioned photos
  from the pool), an excerpt on half of them, 2-3 tags, a view count;
- the search index, through Wagtail's backend (``articles.indexing``).

Articles get no revision (as pages loaded from a fixture): editing one in the
admin makes its first. Deleting a bench image deletes its shared file.
"""

import argparse
import json
import os
import random
import sys
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from bench.legacy_dumps import CAPTIONS, SENTENCES, SUBJECTS, TOPICS

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"

CATEGORIES = (
    "Tin tức sự kiện",
    "Thông báo",
    "Văn hóa - Xã hội",
    "Kinh tế",
    "Giáo dục",
    "Y tế",
    "An ninh - Quốc phòng",
    "Cải cách hành chính",
)
TAGS = (
    "Quận 11",
    "Phường 10",
    "Đảng bộ",
    "Hội nghị",
    "Thanh niên",
    "Giao thông",
    "Y tế",
    "Văn hóa",
    "Giáo dục",
    "Môi trường",
    "Hành chính",
    "An ninh",
)
BATCH = 2000


def database_key(url: str) -> str:
    """A short, file-safe name of the database (``sqlite-...``/``pg-<name>``)."""
    if url.startswith("sqlite"):
        return "sqlite-" + Path(url.split("///", 1)[-1]).stem
    return "pg-" + url.rsplit("/", 1)[-1].split("?")[0]


def dataset_env(*, articles: int, database_url: str = "") -> dict:
    """Environment of a dataset: its own database and media, keyed by N.

    ``database_url`` names a PostgreSQL server database (``.../newsdesk_speed``);
    the dataset lives in ``<that name>_bench_<N>`` beside it. Without it, in
    ``bench/data/articles-<N>.sqlite3``.
    """
    if database_url and not database_url.startswith("sqlite"):
        base, name = database_url.rsplit("/", 1)
        url = f"{base}/{name}_bench_{articles}"
    else:
        url = f"sqlite:///{DATA / f'articles-{articles}.sqlite3'}"
    return {
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(DATA / "media"),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": "bench-only",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }


def stamp_path(env: dict) -> Path:
    return DATA / f"{database_key(env['DATABASE_URL'])}.json"


def body_blocks(rng: random.Random, *, photos: list[int]) -> list[dict]:
    def paragraph() -> str:
        return " ".join(rng.sample(SENTENCES, rng.randint(2, 4)))

    def block(kind: str, value) -> dict:
        return {
            "type": kind,
            "value": value,
            "id": str(uuid.UUID(int=rng.getrandbits(128))),
        }

    blocks = [block("paragraph", f"<p>{paragraph()}</p>") for _ in range(2)]
    blocks.append(
        block("heading", {"text": rng.choice(TOPICS).capitalize(), "level": "2"})
    )
    items = "".join(f"<li>{s}</li>" for s in rng.sample(SENTENCES, 3))
    blocks.append(block("paragraph", f"<ol>{items}</ol>"))
    for _ in range(rng.randint(1, 2)):
        caption = rng.choice(CAPTIONS)
        blocks.append(
            block("image", {"image": rng.choice(photos), "caption": caption, "alt": ""})
        )
        blocks.append(block("paragraph", f"<p>{paragraph()}</p>"))
    blocks.append(block("paragraph", f"<p><b>{paragraph()}</b></p>"))
    return blocks


def _photo(model, *, title: str, caption: str):
    """A library photo of 1600x1067 pixels (its renditions made on save)."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1067), (30, 120, 200)).save(buffer, "JPEG")
    image = model(
        title=title,
        caption=caption,
        file=ImageFile(io.BytesIO(buffer.getvalue()), name="photo.jpg"),
    )
    image._set_image_file_metadata()
    image.save()
    return image


def build(*, articles: int, seed: int = 6) -> dict:
    """Build the dataset in the configured (empty, migrated) database."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from taggit.models import Tag
    from wagtail.models import Locale, Page

    from articles.indexing import index_articles
    from articles.models import ArticlePage, ArticlePageTag, NewsImage, NewsRendition
    from articles.services import get_or_create_category
    from articles.vietnamese import TIME_ZONE, slugify_vi
    from counters.models import PageViewCount

    rng = random.Random(seed)
    started = time.monotonic()
    colours = [(30 * i, 120, 200 - 20 * i) for i in range(8)]
    pool = [
        _photo(NewsImage, title=f"Ảnh {i}", caption=CAPTIONS[i % len(CAPTIONS)])
        for i, _ in enumerate(colours)
    ]
    pool_renditions = {
        image.pk: list(NewsRendition.objects.filter(image=image)) for image in pool
    }
    categories = [get_or_create_category(name=title) for title in CATEGORIES]
    tags = Tag.objects.bulk_create(
        [Tag(name=name, slug=slugify_vi(name)) for name in TAGS]
    )
    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale = Locale.get_default()
    image_fields = [
        f.attname for f in NewsImage._meta.concrete_fields if not f.primary_key
    ]
    rendition_fields = [
        f.attname
        for f in NewsRendition._meta.concrete_fields
        if not f.primary_key and f.attname != "image_id"
    ]
    start = datetime(2017, 1, 1, 7, 0, tzinfo=TIME_ZONE)
    photo_ids = [image.pk for image in pool]
    positions = {category.pk: 0 for category in categories}
    made = 0
    while made < articles:
        size = min(BATCH, articles - made)
        with transaction.atomic():
            sources = [rng.choice(pool) for _ in range(size)]
            images = NewsImage.objects.bulk_create(
                [
                    NewsImage(**{name: getattr(src, name) for name in image_fields})
                    for src in sources
                ]
            )
            NewsRendition.objects.bulk_create(
                [
                    NewsRendition(
                        image_id=image.pk,
                        **{name: getattr(r, name) for name in rendition_fields},
                    )
                    for image, src in zip(images, sources, strict=True)
                    for r in pool_renditions[src.pk]
                ]
            )
            pages, extras = [], []
            for i, image in enumerate(images):
                number = made + i + 1
                category = categories[rng.randrange(len(categories))]
                positions[category.pk] += 1
                title = f"{rng.choice(SUBJECTS)} {rng.choice(TOPICS)} số {number}"
                slug = f"{slugify_vi(title, max_length=200)}"
                at = start + timedelta(minutes=37 * number + rng.randrange(30))
                pages.append(
                    Page(
                        title=title,
                        draft_title=title,
                        slug=slug,
                        content_type=content_type,
                        path=Page._get_path(
                            category.path, category.depth + 1, positions[category.pk]
                        ),
                        depth=category.depth + 1,
                        numchild=0,
                        url_path=f"{category.url_path}{slug}/",
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=at,
                        last_published_at=at,
                        locale=locale,
                        translation_key=uuid.UUID(int=rng.getrandbits(128)),
                    )
                )
                excerpt = rng.choice(SENTENCES) if number % 2 else ""
                extras.append(
                    (at, excerpt, image.pk, body_blocks(rng, photos=photo_ids))
                )
            pages = Page.objects.bulk_create(pages)
            rows = [
                ArticlePage(
                    page_ptr_id=page.pk,
                    id=page.pk,
                    published_at=at,
                    excerpt=excerpt,
                    feature_image_id=image_id,
                    body=body,
                    legacy_key="",
                )
                for page, (at, excerpt, image_id, body) in zip(
                    pages, extras, strict=True
                )
            ]
            # bulk_create refuses multi-table children: insert the child rows
            # only (the parent rows exist), as bulk_create does for a plain model.
            local = [
                f for f in ArticlePage._meta.local_concrete_fields if f.column != "id"
            ]
            ArticlePage.objects.all()._batched_insert(rows, local, batch_size=500)
            ArticlePageTag.objects.bulk_create(
                [
                    ArticlePageTag(content_object_id=page.pk, tag_id=tag.pk)
                    for page in pages
                    for tag in rng.sample(tags, rng.randint(2, 3))
                ]
            )
            PageViewCount.objects.bulk_create(
                [
                    PageViewCount(
                        page_id=page.pk, views=int(rng.paretovariate(1.2) * 50)
                    )
                    for page in pages
                ]
            )
            index_articles(page.pk for page in pages)
        made += size
        print(f"  {made}/{articles} articles", file=sys.stderr, flush=True)
    for category in categories:
        Page.objects.filter(pk=category.pk).update(numchild=positions[category.pk])
    if connection.vendor == "postgresql":
        # Planner statistics and the visibility map (index-only scans), as
        # autovacuum would make after a bulk load.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {
        "articles": articles,
        "categories": len(categories),
        "seconds": round(time.monotonic() - started, 1),
    }


# Building or migrating a dataset of 100,000 articles is a long migration: no
# statement timeout (the served app keeps the default; docs/deploy.md).
BUILD_ENV = {"DATABASE_STATEMENT_TIMEOUT": "0"}


def _manage(env: dict, *args: str) -> None:
    import subprocess

    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env, **BUILD_ENV},
        check=True,
        capture_output=True,
    )


def _create_database(url: str) -> None:
    """Create the PostgreSQL database of ``url`` if it does not exist."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _drop(env: dict) -> None:
    url = env["DATABASE_URL"]
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.split("///", 1)[1] + suffix).unlink(missing_ok=True)
    else:
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    stamp_path(env).unlink(missing_ok=True)


def ensure(*, articles: int, database_url: str = "", rebuild: bool = False) -> dict:
    """The dataset's environment, building the dataset first unless kept."""
    DATA.mkdir(parents=True, exist_ok=True)
    env = dataset_env(articles=articles, database_url=database_url)
    stamp = stamp_path(env)
    if stamp.exists() and not rebuild:
        _manage(env, "migrate", "--no-input")  # a kept dataset, today's schema
        return env
    _drop(env)
    if not env["DATABASE_URL"].startswith("sqlite"):
        _create_database(env["DATABASE_URL"])
    print(f"building {articles} articles in {env['DATABASE_URL']}", file=sys.stderr)
    _manage(env, "migrate", "--no-input")
    _manage(env, "createcachetable")
    import subprocess

    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.dataset",
            "--articles",
            str(articles),
            "--_build",
        ],
        cwd=ROOT,
        env={**os.environ, **env, **BUILD_ENV},
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    stamp.write_text(out)
    print(f"built: {out.strip()}", file=sys.stderr)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--_build", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._build:
        import django

        django.setup()
        print(json.dumps(build(articles=args.articles)))
        return
    ensure(
        articles=args.articles,
        database_url=os.environ.get("DATABASE_URL", ""),
        rebuild=args.rebuild,
    )


if __name__ == "__main__":
    main()
