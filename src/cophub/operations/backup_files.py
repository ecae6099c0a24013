"""The files of the default storage (uploads, encrypted microdata) in a backup: listed, copied
out with their SHA-256, checked against the manifest, and put back all at once."""

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage

CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class FileRecord:
    """One stored file: its name in the storage (a relative POSIX path), size and SHA-256."""

    path: str
    size: int
    sha256: str


def file_path_is_safe(name: str) -> bool:
    """A relative path that stays inside its folder (no ``..``, not absolute, not empty)."""
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def storage_file_names(storage: Storage | None = None) -> list[str]:
    """Every file name in the storage, sorted; an absent media folder holds none."""
    storage = storage or default_storage
    names: list[str] = []
    folders = [""]
    while folders:
        folder = folders.pop()
        try:
            subfolders, files = storage.listdir(folder)
        except FileNotFoundError:
            continue
        prefix = f"{folder}/" if folder else ""
        folders.extend(f"{prefix}{sub}" for sub in subfolders)
        names.extend(f"{prefix}{name}" for name in files)
    return sorted(names)


def _copy_with_digest(source: Any, target: IO[bytes]) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK_BYTES):
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def file_digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file on disk."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return path.stat().st_size, digest.hexdigest()


def files_copy_out(folder: Path) -> list[FileRecord]:
    """Copy every stored file under ``folder``; their records, checksummed as copied."""
    records = []
    for name in storage_file_names():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, target.open("wb") as copy:
            size, sha256 = _copy_with_digest(source, copy)
        records.append(FileRecord(path=name, size=size, sha256=sha256))
    return records


def files_problems(folder: Path, records: list[FileRecord]) -> list[str]:
    """The paths under ``folder`` that are missing, altered, or not in ``records``."""
    problems = []
    for record in records:
        path = folder / record.path
        if not path.is_file() or file_digest(path) != (record.size, record.sha256):
            problems.append(record.path)
    listed = {record.path for record in records}
    if folder.is_dir():
        for path in folder.rglob("*"):
            name = path.relative_to(folder).as_posix()
            if path.is_file() and name not in listed:
                problems.append(name)
    return problems


def files_restore(folder: Path, records: list[FileRecord]) -> None:
    """Make the storage hold exactly the backup's files. On disk they are first copied into a
    temporary folder beside the media folder, which then replaces it (two renames), so a failed
    copy leaves the old files in place; other storages are written file by file."""
    storage = default_storage
    if isinstance(storage, FileSystemStorage):
        _files_swap_in(folder, records, Path(storage.location))
        return
    for name in storage_file_names(storage):
        storage.delete(name)
    for record in records:
        with (folder / record.path).open("rb") as handle:
            storage.save(record.path, File(handle))


def _files_swap_in(folder: Path, records: list[FileRecord], root: Path) -> None:
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}-restore-", dir=root.parent))
    try:
        for record in records:
            target = staging / record.path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / record.path, target)
        # mkdtemp makes the folder 0700; give it the mode a new media folder would have.
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = None
    if root.exists():
        stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%S%f")
        previous = root.with_name(f".{root.name}-replaced-{stamp}")
        root.rename(previous)
    staging.rename(root)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
