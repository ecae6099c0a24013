"""``manifest.json``: what a backup holds and how to check it (format 1, see
docs/decisions/0018-backups.md). Written last, so a folder without it is no backup."""

import json
import os
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import django

from .backup_errors import BackupInvalid
from .backup_files import FileRecord, file_path_is_safe

MANIFEST_NAME = "manifest.json"
FORMAT = 1


@dataclass(frozen=True)
class DatabaseRecord:
    vendor: str
    file: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    format: int
    created_at: str
    cophub_version: str
    django_version: str
    database: DatabaseRecord
    migrations: list[tuple[str, str]]
    tables: dict[str, int]
    files: list[FileRecord]
    microdata_key_fingerprints: list[str]


def cophub_version() -> str:
    try:
        return metadata.version("cophub")
    except metadata.PackageNotFoundError:
        return "unknown"


def django_version() -> str:
    return str(django.get_version())


def manifest_write(folder: Path, manifest: Manifest) -> None:
    """Write ``manifest.json`` whole: into a temporary name, then renamed."""
    partial = folder / f".{MANIFEST_NAME}.partial"
    partial.write_text(json.dumps(asdict(manifest), indent=2, sort_keys=True) + "\n")
    os.replace(partial, folder / MANIFEST_NAME)


def manifest_read(folder: Path) -> Manifest:
    """The manifest of the backup in ``folder``; ``BackupInvalid`` when absent or malformed."""
    path = folder / MANIFEST_NAME
    try:
        data: dict[str, Any] = json.loads(path.read_text())
        if data["format"] != FORMAT:
            raise BackupInvalid(details={"manifest": "format", "format": data["format"]})
        database = DatabaseRecord(**data["database"])
        files = [FileRecord(**item) for item in data["files"]]
        manifest = Manifest(
            format=int(data["format"]),
            created_at=str(data["created_at"]),
            cophub_version=str(data["cophub_version"]),
            django_version=str(data["django_version"]),
            database=database,
            migrations=[(str(app), str(name)) for app, name in data["migrations"]],
            tables={str(table): int(count) for table, count in data["tables"].items()},
            files=files,
            microdata_key_fingerprints=[str(f) for f in data["microdata_key_fingerprints"]],
        )
    except FileNotFoundError:
        raise BackupInvalid(details={"manifest": "missing"}) from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupInvalid(details={"manifest": "malformed", "error": str(error)}) from None
    unsafe = [record.path for record in files if not file_path_is_safe(record.path)]
    if unsafe or not file_path_is_safe(database.file) or "/" in database.file:
        raise BackupInvalid(details={"manifest": "unsafe_paths", "paths": unsafe[:5]})
    return manifest
