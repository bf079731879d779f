"""Import legacy dump files into articles: the work behind ``manage.py import_legacy``.

Each file is parsed, its photos checked, and its article saved in a transaction
of its own, so a file that fails leaves nothing behind and the others still
import. The source key comes from the file name (:func:`legacy_key`), so a
second run updates in place and reports an article that did not change as
unchanged, without writing it.
"""

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from wagtail.models import Site

from articles.importers.convert import article_data, dump_content, legacy_key
from articles.importers.legacy import (
    LegacyArticle,
    LegacyParseError,
    decode_dump,
    parse_legacy_dump,
)
from articles.importers.merge import adopt, merge
from articles.importers.photos import PhotoError, PhotoFolder
from articles.importers.store import current_of, store_article
from articles.indexing import deferred_search_index
from articles.models import ArticlePage, CategoryPage, LegacyImport
from articles.services import (
    find_category,
    find_image_by_content,
    get_or_create_category,
    get_or_create_image_by_content,
)
from counters.selectors import view_count
from counters.services import raise_view_count, raise_visit_count

logger = logging.getLogger(__name__)

DUMP_SUFFIX = ".txt"
MAX_DUMP_BYTES = 5 * 2**20
"""Largest dump read (the old portal's pages are a few kB; ``--max-size``)."""
INDEX_BATCH = 200
"""Imported articles are search-indexed together, this many files at a time."""


class Outcome(StrEnum):
    """What happened to one file (in a dry run: what would happen)."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class FileResult:
    """One file's outcome; ``reason`` says why it failed, ``notes`` what to know."""

    path: Path
    outcome: Outcome
    title: str = ""
    reason: str = ""
    notes: tuple[str, ...] = ()


@dataclass
class ImportReport:
    """Every file's result, and the site visit counter after the run.

    In a dry run the outcomes say what a real run would do and
    ``site_visit_count`` is the largest odometer value seen.
    """

    dry_run: bool
    results: list[FileResult] = field(default_factory=list)
    site_visit_count: int | None = None

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.results if result.outcome is outcome)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.outcome is Outcome.FAILED]


def find_dump_files(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """The dump files named by ``paths`` (folders searched for ``*.txt``), in order.

    A file named directly is taken whatever its extension. A path that does not
    exist comes back as a failed result.
    """
    files: list[Path] = []
    missing: list[FileResult] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.suffix.lower() == DUMP_SUFFIX
            )
            found = [p for p in found if p.is_file()]
        elif path.is_file():
            found = [path]
        else:
            missing.append(FileResult(path, Outcome.FAILED, reason="no such file"))
            continue
        for file in found:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                files.append(file)
    return files, missing


def import_dumps(
    *,
    paths: Sequence[Path],
    images_dir: Path | None = None,
    dry_run: bool = False,
    on_file: Callable[[FileResult], None] | None = None,
    on_files_found: Callable[[int], None] | None = None,
    max_bytes: int = MAX_DUMP_BYTES,
) -> ImportReport:
    """Import every dump under ``paths``; returns what happened to each file.

    ``images_dir`` holds photos named ``<dump-stem>-<n>.<jpg|jpeg|png|webp>``
    (see :mod:`articles.importers.photos`). ``dry_run`` parses, checks and
    compares without writing anything. ``on_files_found`` gets the number of
    files before the work starts and ``on_file`` each result as it comes (for
    progress output). A file larger than ``max_bytes`` fails (at most
    ``max_bytes`` + 1 of it is read). The site visit counter is raised, never
    lowered, to the largest odometer value among the files that imported.
    """
    files, missing = find_dump_files(paths)
    report = ImportReport(dry_run=dry_run, results=list(missing))
    if on_files_found:
        on_files_found(len(missing) + len(files))
    for result in missing:
        if on_file:
            on_file(result)
    state = _RunState(
        photos=PhotoFolder(images_dir), dry_run=dry_run, max_bytes=max_bytes
    )
    odometer: int | None = None
    with deferred_search_index() as search_index:
        for number, path in enumerate(files, 1):
            result, parsed = _import_file(path, state=state)
            report.results.append(result)
            if on_file:
                on_file(result)
            if parsed and parsed.site_visit_count is not None:
                odometer = max(odometer or 0, parsed.site_visit_count)
            if number % INDEX_BATCH == 0:
                search_index.flush()
    report.site_visit_count = odometer
    if odometer is not None and not dry_run:
        report.site_visit_count = raise_visit_count(
            site=Site.objects.get(is_default_site=True), at_least=odometer
        )
    return report


@dataclass
class _RunState:
    """What one run remembers from file to file."""

    photos: PhotoFolder
    dry_run: bool
    max_bytes: int
    keys: dict[str, Path] = field(default_factory=dict)
    """Source key -> the file that claimed it."""
    categories: dict[str, CategoryPage] = field(default_factory=dict)
    """Category name -> page, once committed (a rolled-back one is not kept)."""


def _import_file(
    path: Path, *, state: _RunState
) -> tuple[FileResult, LegacyArticle | None]:
    """Parse, check and save one file; every failure becomes a failed result."""
    key = legacy_key(path.stem)
    if key in state.keys:
        # Two files with one key would overwrite each other's article.
        reason = (
            f"same source key as {state.keys[key]} (the key comes from the file name)"
        )
        return FileResult(path, Outcome.FAILED, reason=reason), None
    state.keys[key] = path
    try:
        parsed = parse_legacy_dump(decode_dump(_read_at_most(path, state.max_bytes)))
        photo_paths, notes = state.photos.photos_for(
            path.stem, captions=len(parsed.captions)
        )
    except (LegacyParseError, PhotoError) as error:
        return FileResult(path, Outcome.FAILED, reason=str(error)), None
    except OSError as error:
        reason = f"cannot read: {error.strerror or error}"
        return FileResult(path, Outcome.FAILED, reason=reason), None
    uploaded: list[str] = []
    try:
        if state.dry_run:
            outcome = _compare(parsed, key=key, photo_paths=photo_paths)
        else:
            with transaction.atomic():
                category = state.categories.get(
                    parsed.category
                ) or get_or_create_category(name=parsed.category)
                outcome, merge_notes = _save(
                    parsed,
                    key=key,
                    category=category,
                    photo_paths=photo_paths,
                    uploaded=uploaded,
                )
            state.categories[parsed.category] = category
            notes = [*notes, *merge_notes]
    except Exception as error:
        # Saving went wrong (a photo's upload, the database...); the transaction
        # undid this file's rows, the files of its new photos go too, and the
        # other dumps go on.
        logger.exception("legacy import of %s failed", path)
        _delete_files(uploaded)
        reason = f"not saved: {type(error).__name__}: {error}"
        return FileResult(path, Outcome.FAILED, reason=reason), None
    return FileResult(path, outcome, title=parsed.title, notes=tuple(notes)), parsed


def _read_at_most(path: Path, max_bytes: int) -> bytes:
    """The file's bytes; :class:`LegacyParseError` if it holds more than
    ``max_bytes`` (never more than that and one byte is read into memory)."""
    with path.open("rb") as file:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise LegacyParseError(
            f"larger than the {_size(max_bytes)} limit (--max-size to raise it)"
        )
    return data


def _size(count: int) -> str:
    return f"{count / 2**20:g} MB" if count >= 2**16 else f"{count:,} bytes"


def _save(
    parsed: LegacyArticle,
    *,
    key: str,
    category: CategoryPage,
    photo_paths: dict[int, Path],
    uploaded: list[str],
) -> tuple[Outcome, list[str]]:
    """Write one article, its photos and view count (in the caller's
    transaction); the outcome and notes on what editors changed and was kept.

    The storage names of newly uploaded photos and their renditions are added
    to ``uploaded``, for the caller to delete should the transaction roll back.
    """
    images = {}
    for number, path in photo_paths.items():
        caption = parsed.captions[number - 1]
        image, created = get_or_create_image_by_content(
            path=path, title=caption, caption=caption
        )
        if created:
            uploaded.append(image.file.name)
            uploaded.extend(image.renditions.values_list("file", flat=True))
        images[number] = image
    data = article_data(parsed, key=key, images=images)
    dump = dump_content(parsed, category_id=category.pk, images=images)
    article, upserted, notes = store_article(category=category, data=data, dump=dump)
    outcome = Outcome(upserted.value)
    if parsed.view_count is not None:
        raised = raise_view_count(page=article, at_least=parsed.view_count)
        if raised and outcome is Outcome.UNCHANGED:
            outcome = Outcome.UPDATED  # only the old portal's count grew
    return outcome, notes


def _delete_files(names: list[str]) -> None:
    """Delete stored files whose rows were rolled back (best effort)."""
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:
            logger.warning("could not delete %s after a failed import", name)


def _compare(
    parsed: LegacyArticle, *, key: str, photo_paths: dict[int, Path]
) -> Outcome:
    """What :func:`_save` would do, found by reading only."""
    article = ArticlePage.objects.filter(legacy_key=key).first()
    if article is None:
        return Outcome.CREATED
    images = {
        number: find_image_by_content(path=path) for number, path in photo_paths.items()
    }
    if any(image is None for image in images.values()):
        return Outcome.UPDATED  # a new photo would be uploaded
    category: CategoryPage | None = find_category(name=parsed.category)
    dump = dump_content(
        parsed, category_id=category.pk if category else 0, images=images
    )
    current = current_of(article)
    record = LegacyImport.objects.filter(article=article).first()
    base = record.base if record else adopt(dump, current=current)[0]
    count_grows = parsed.view_count is not None and (
        view_count(page=article) < parsed.view_count
    )
    if not merge(base=base, dump=dump, current=current).changed and not count_grows:
        return Outcome.UNCHANGED
    return Outcome.UPDATED
