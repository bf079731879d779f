"""Backups of what the site holds, and restoring them (``manage.py backup``,
``manage.py restore``; ``make backup``; docs/deploy.md, Backup and restore).

A backup is a folder: the database (PostgreSQL: ``pg_dump`` in its custom
format, restored with ``pg_restore``; SQLite: a consistent copy made with
SQLite's own backup API, safe while the site writes), the media (a tar of
``MEDIA_ROOT``; media on S3 are not copied: the bucket's versioning or
replication is the operator's) and ``manifest.json`` naming the files with
their SHA-256, so that :func:`verify` tells a damaged backup from a good one.

The Redis counting buffer is flushed first (``manage.py flush_counters``), so
that every view counted before the backup is in it.

Restoring renews the database's epoch (``cms.epoch``): change-feed cursors
given before the restore answer 410 instead of silently skipping the changes
numbered again. It then sends :data:`database_restored`, on which the API
retires its kept answers and purges the cache tier.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.dispatch import Signal

from cms import epoch

MANIFEST = "manifest.json"
FORMAT = 1
POSTGRES_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"
MEDIA_FILE = "media.tar.gz"

#: Sent once a backup has been restored and the epoch renewed.
database_restored = Signal()


class BackupError(Exception):
    """What went wrong, said for the operator."""


@dataclass(frozen=True)
class Done:
    folder: Path
    manifest: dict
    notes: list[str]


def default_folder() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.BASE_DIR) / "backups" / stamp


# --- backing up -------------------------------------------------------------------


def backup(*, to: Path, flush_counters: bool = True) -> Done:
    """Flush the counting buffer, then copy the database and the media into
    the new folder ``to``."""
    if to.exists() and any(to.iterdir()):
        raise BackupError(f"{to} is not empty: give a new folder.")
    notes = []
    if flush_counters and settings.REDIS_URL:
        try:
            call_command("flush_counters", verbosity=0)
        except Exception as error:
            raise BackupError(
                f"The counting buffer could not be flushed ({error}): views "
                "still in Redis would be missing from the backup. Make Redis "
                "reachable, or pass --no-flush to back up without them."
            ) from error
    to.mkdir(parents=True, exist_ok=True)
    vendor = connections["default"].vendor
    if vendor == "postgresql":
        database_file = POSTGRES_FILE
        _pg_dump(to / database_file)
    elif vendor == "sqlite":
        database_file = SQLITE_FILE
        _sqlite_copy(
            source=Path(settings.DATABASES["default"]["NAME"]),
            target=to / database_file,
        )
    else:
        raise BackupError(f"No backup for a {vendor} database.")
    files = {database_file: _sha256(to / database_file)}
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": {"vendor": vendor, "file": database_file},
        "epoch": epoch.current().value,
    }
    if settings.AWS_STORAGE_BUCKET_NAME:
        manifest["media"] = {"s3_bucket": settings.AWS_STORAGE_BUCKET_NAME}
        notes.append(
            f"Media are on S3 (bucket {settings.AWS_STORAGE_BUCKET_NAME}) and "
            "not in this backup: keep them with the bucket's versioning or "
            "replication."
        )
    else:
        _tar_media(source=Path(settings.MEDIA_ROOT), target=to / MEDIA_FILE)
        manifest["media"] = {"file": MEDIA_FILE}
        files[MEDIA_FILE] = _sha256(to / MEDIA_FILE)
    manifest["sha256"] = files
    (to / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return Done(folder=to, manifest=manifest, notes=notes)


def _pg_dump(target: Path) -> None:
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target),
            *_pg_connection_args(),
        ],
        what="pg_dump",
    )


def _sqlite_copy(*, source: Path, target: Path) -> None:
    if not source.is_file():  # connecting would make an empty one
        raise BackupError(f"No SQLite database at {source}.")
    # SQLite's online backup: a consistent copy even while others write.
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
    copy.close()
    live.close()


def _tar_media(*, source: Path, target: Path) -> None:
    with tarfile.open(target, "w:gz") as archive:
        if source.is_dir():
            for child in sorted(source.iterdir()):
                archive.add(child, arcname=child.name)


# --- verifying ----------------------------------------------------------------


def verify(*, source: Path) -> dict:
    """Check a backup folder without restoring it: the manifest, every file's
    SHA-256, the dump readable by ``pg_restore`` (or the SQLite copy's
    integrity check), the media archive readable. Returns the manifest."""
    manifest = _manifest(source)
    for name, digest in manifest["sha256"].items():
        path = source / name
        if not path.is_file():
            raise BackupError(f"{path} is missing.")
        if _sha256(path) != digest:
            raise BackupError(f"{path} is damaged: its SHA-256 differs.")
    database = source / manifest["database"]["file"]
    if manifest["database"]["vendor"] == "postgresql":
        listing = _run(["pg_restore", "--list", str(database)], what="pg_restore")
        if "TABLE DATA" not in listing:
            raise BackupError(f"{database} holds no table data.")
    else:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as copy:
            (result,) = copy.execute("PRAGMA integrity_check").fetchone()
        copy.close()
        if result != "ok":
            raise BackupError(f"{database} fails SQLite's integrity check: {result}")
    if "file" in manifest["media"]:
        with tarfile.open(source / manifest["media"]["file"]) as archive:
            archive.getmembers()
    return manifest


# --- restoring ----------------------------------------------------------------


def restore(*, source: Path) -> Done:
    """Replace the database (and the media in ``MEDIA_ROOT``) with the backup
    in ``source``, bring its schema up to this version (``migrate``, the cache
    table) and renew the epoch. The site's processes should be stopped meanwhile."""
    manifest = verify(source=source)
    vendor = connections["default"].vendor
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(
            f"The backup is of a {manifest['database']['vendor']} database; "
            f"DATABASE_URL names a {vendor} one."
        )
    connections.close_all()
    database = source / manifest["database"]["file"]
    if vendor == "postgresql":
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *_pg_connection_args(dbname_flag=True),
                str(database),
            ],
            what="pg_restore",
        )
    else:
        _sqlite_copy(
            source=database, target=Path(settings.DATABASES["default"]["NAME"])
        )
    notes = []
    if "file" in manifest["media"]:
        _untar_media(
            source=source / manifest["media"]["file"],
            target=Path(settings.MEDIA_ROOT),
        )
    else:
        notes.append(
            f"Media are on S3 (bucket {manifest['media']['s3_bucket']}): restore "
            "them there (a version of the bucket) if needed."
        )
    call_command("migrate", interactive=False, verbosity=0)
    # A backup made with Redis holds no cache table; this setup may need it.
    call_command("createcachetable", verbosity=0)
    renewed = epoch.renew()
    notes.append(
        f"Epoch renewed ({renewed.value}): change-feed clients will sync again."
    )
    database_restored.send(sender=restore)
    return Done(folder=source, manifest=manifest, notes=notes)


def _untar_media(*, source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source) as archive:
        # "data": no absolute paths, no "..", no links leaving the folder.
        archive.extractall(target, filter="data")


# --- helpers ------------------------------------------------------------------


def _manifest(source: Path) -> dict:
    path = source / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{path} cannot be read: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup this version can restore.")
    return manifest


def _pg_connection_args(*, dbname_flag: bool = False) -> list[str]:
    config = settings.DATABASES["default"]
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if config.get(key):
            args += [flag, str(config[key])]
    if dbname_flag:
        return [*args, "--dbname", config["NAME"]]
    return [*args, config["NAME"]]


def _run(command: list[str], *, what: str) -> str:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed (Debian: postgresql-client, of the "
            "server's major version or newer)."
        )
    env = {**os.environ}
    password = settings.DATABASES["default"].get("PASSWORD")
    if password:
        env["PGPASSWORD"] = str(password)
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip()}")
    return done.stdout


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
