"""Backups that restore: ``backup_create`` saves the database, the stored files and a manifest
into a folder; ``backup_restore`` checks such a folder whole, then puts it back.

Nothing is half-written: a backup is built in ``DIR/.partial`` and its manifest written last;
a restore checks every checksum, the schema and the microdata key before it writes anything,
and the files replace the media folder in one rename."""

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from cophub.statistics.encryption import (
    STORAGE_FOLDER,
    microdata_key_fingerprints,
    microdata_token_readable,
)

from .backup_database import (
    DATABASE_FILES,
    database_dump,
    database_holds_data,
    database_load,
    database_migrations,
    database_table_counts,
    database_vendor,
)
from .backup_errors import (
    BackupDirectoryNotEmpty,
    BackupFailed,
    BackupInvalid,
    BackupKeyMismatch,
    BackupNewerSchema,
    BackupTargetNotEmpty,
)
from .backup_files import (
    file_digest,
    files_copy_out,
    files_problems,
    files_restore,
    storage_file_names,
)
from .backup_manifest import (
    FORMAT,
    DatabaseRecord,
    Manifest,
    cophub_version,
    django_version,
    manifest_read,
    manifest_write,
)

PARTIAL_FOLDER = ".partial"
FILES_FOLDER = "files"
# How many names an error lists at most (the rest are counted).
LISTED = 5


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    pending_migrations: list[tuple[str, str]]
    warnings: list[str]


def backup_create(*, directory: Path, now: datetime) -> Manifest:
    """Save the database and every stored file into ``directory`` (new or empty)."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupDirectoryNotEmpty(
            _("The backup folder %(path)s must be new or empty.") % {"path": directory}
        )
    created = not directory.exists()
    # The backup holds password hashes and the site's uploads: only its owner may read it.
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = directory / PARTIAL_FOLDER
    partial.mkdir(mode=0o700)
    try:
        snapshot = database_dump(partial)
        files = files_copy_out(partial / FILES_FOLDER)
        size, sha256 = file_digest(partial / snapshot.file_name)
        manifest = Manifest(
            format=FORMAT,
            created_at=now.isoformat(),
            cophub_version=cophub_version(),
            django_version=django_version(),
            database=DatabaseRecord(snapshot.vendor, snapshot.file_name, size, sha256),
            migrations=snapshot.migrations,
            tables=snapshot.tables,
            files=files,
            microdata_key_fingerprints=microdata_key_fingerprints(),
        )
        (partial / snapshot.file_name).rename(directory / snapshot.file_name)
        (partial / FILES_FOLDER).mkdir(exist_ok=True)
        (partial / FILES_FOLDER).rename(directory / FILES_FOLDER)
        manifest_write(partial, manifest)
        (partial / "manifest.json").rename(directory / "manifest.json")
        partial.rmdir()
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        if created:
            shutil.rmtree(directory, ignore_errors=True)
        raise
    return manifest


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:LISTED])
    if len(names) > LISTED:
        shown += f", … (+{len(names) - LISTED})"
    return shown


def _check_complete(directory: Path, manifest: Manifest) -> None:
    if manifest.database.vendor != database_vendor():
        raise BackupInvalid(
            _(
                "This backup is of a %(backup)s database; the current database is %(current)s. "
                "Restore it into a database of the same kind."
            )
            % {"backup": manifest.database.vendor, "current": database_vendor()}
        )
    problems = files_problems(directory / FILES_FOLDER, manifest.files)
    database_file = directory / manifest.database.file
    if manifest.database.file != DATABASE_FILES.get(manifest.database.vendor) or (
        not database_file.is_file()
        or file_digest(database_file) != (manifest.database.size, manifest.database.sha256)
    ):
        problems.insert(0, manifest.database.file)
    if problems:
        raise BackupInvalid(
            _(
                "The backup does not match its manifest (missing, altered or unlisted files: "
                "%(paths)s). Nothing was restored."
            )
            % {"paths": _listed(problems)},
            details={"paths": problems},
        )


def _check_schema(directory: Path, manifest: Manifest) -> None:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in manifest.migrations if (app, name) not in known]
    if unknown:
        raise BackupNewerSchema(
            _(
                "The backup has migrations this version of COP Hub does not know (%(migrations)s): "
                "restore it with the version that made it (%(version)s), or use --force."
            )
            % {"migrations": _listed(unknown), "version": manifest.cophub_version},
            details={"migrations": unknown},
        )


def _check_microdata_key(directory: Path, manifest: Manifest) -> None:
    current = microdata_key_fingerprints()
    if set(manifest.microdata_key_fingerprints) <= set(current):
        return
    # The keys differ; what matters is whether the backup's encrypted files can still be read
    # (the current list may hold the old key, or the backup may hold no microdata at all).
    unreadable = [
        record.path
        for record in manifest.files
        if record.path.startswith(f"{STORAGE_FOLDER}/")
        and not microdata_token_readable((directory / FILES_FOLDER / record.path).read_bytes())
    ]
    if unreadable:
        raise BackupKeyMismatch(
            _(
                "The microdata key differs from the one in use when the backup was made "
                "(fingerprint %(backup)s, now %(current)s); encrypted microdata files that would "
                "be unreadable: %(count)s. Set MICRODATA_KEY to the backup's key (or add it to "
                "the list), or use --force to restore them unreadable."
            )
            % {
                "backup": manifest.microdata_key_fingerprints[0][:12],
                "current": current[0][:12],
                "count": len(unreadable),
            },
            details={"files": unreadable},
        )


def backup_restore(*, directory: Path, force: bool) -> RestoreResult:
    """Put the backup in ``directory`` back, after checking it whole. Refuses a target that
    holds data, a backup of a newer schema and an unreadable microdata key, unless ``force``."""
    manifest = manifest_read(directory)
    _check_complete(directory, manifest)
    warnings = []
    for check in (_check_schema, _check_microdata_key):
        try:
            check(directory, manifest)
        except (BackupNewerSchema, BackupKeyMismatch) as refusal:
            if not force:
                raise
            warnings.append(str(refusal.message))
    if not force and (database_holds_data() or storage_file_names()):
        raise BackupTargetNotEmpty()
    database_load(directory / manifest.database.file, manifest.database.vendor)
    files_restore(directory / FILES_FOLDER, manifest.files)
    counts = database_table_counts()
    # Tables the backup does not have are left alone (pg_restore --clean drops only its own).
    differing = sorted(
        table for table, count in manifest.tables.items() if counts.get(table) != count
    )
    if differing:
        raise BackupFailed(
            _("After the restore, the row counts differ from the manifest in: %(tables)s.")
            % {"tables": _listed(differing)},
            details={"tables": differing},
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    applied = set(database_migrations())
    pending = sorted(key for key in known if key not in applied)
    connection.close()
    return RestoreResult(manifest=manifest, pending_migrations=pending, warnings=warnings)
