"""The database in a backup: SQLite's online backup or a PostgreSQL custom-format dump, with
the applied migrations and per-table row counts read from the very state that was saved."""

import contextlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection, transaction

from .backup_errors import BackupFailed

DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Tables whose rows only a real installation has: `migrate` alone writes none of them (it does
# fill lookup tables, the resources hub page and the practices workflow), while
# `load_reference` and the first account do. See docs/decisions/0018-backups.md.
DATA_MODELS = (("accounts", "User"), ("reference", "Country"))

# SQLite's own bookkeeping table, left out as Django's introspection leaves it out.
_SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence'"


@dataclass(frozen=True)
class DatabaseSnapshot:
    """What was saved: the vendor, the file name, applied migrations and rows per table."""

    vendor: str
    file_name: str
    migrations: list[tuple[str, str]]
    tables: dict[str, int]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _counts(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        # Table names come from the database's own catalogue, quoted.
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _migrations(cursor: Any) -> list[tuple[str, str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return [(str(app), str(name)) for app, name in cursor.fetchall()]


def _sqlite_tables(cursor: Any) -> list[str]:
    cursor.execute(_SQLITE_TABLES)
    return [str(row[0]) for row in cursor.fetchall()]


def database_vendor() -> str:
    return str(connection.vendor)


def database_dump(folder: Path) -> DatabaseSnapshot:
    """Save the database under ``folder`` while the site keeps serving."""
    vendor = database_vendor()
    if vendor not in DATABASE_FILES:
        raise BackupFailed(details={"vendor": vendor})
    target = folder / DATABASE_FILES[vendor]
    if vendor == "sqlite":
        return _sqlite_dump(target)
    return _postgresql_dump(target)


def _sqlite_dump(target: Path) -> DatabaseSnapshot:
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(target)) as copy:
        # The online backup API copies a consistent state, page by page, while others write.
        connection.connection.backup(copy)
        cursor = copy.cursor()
        tables = _counts(cursor, _sqlite_tables(cursor))
        migrations = _migrations(cursor)
    return DatabaseSnapshot("sqlite", target.name, migrations, tables)


def _postgresql_dump(target: Path) -> DatabaseSnapshot:
    # pg_dump reads the snapshot exported by this transaction, so the counts and migrations
    # written in the manifest are those of the very state in the dump.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = str(cursor.fetchone()[0])
        tables = _counts(cursor, connection.introspection.table_names(cursor))
        migrations = _migrations(cursor)
        _postgresql_run(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot}",
            f"--file={target}",
        )
    return DatabaseSnapshot("postgresql", target.name, migrations, tables)


def _postgresql_environment() -> dict[str, str]:
    """libpq's variables from the connection settings: the password never appears on a
    command line (where other users of the machine could read it)."""
    settings_dict = connection.settings_dict
    environment = dict(os.environ)
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": (settings_dict.get("OPTIONS") or {}).get("sslmode"),
    }
    environment.update({name: str(value) for name, value in values.items() if value})
    return environment


def _postgresql_run(program: str, *arguments: str) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupFailed(details={"program": program, "error": "not found"})
    done = subprocess.run(  # noqa: S603 - a fixed PostgreSQL client, arguments built here
        [executable, *arguments],
        env=_postgresql_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupFailed(details={"program": program, "error": done.stderr.strip()[-2000:]})


def database_load(path: Path, vendor: str) -> None:
    """Replace the current database's content with the saved one."""
    if vendor == "sqlite":
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(path)) as saved:
            saved.backup(connection.connection)
        return
    # No open transaction of ours may hold a lock on a table pg_restore drops.
    connection.close()
    _postgresql_run(
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={connection.settings_dict['NAME']}",
        str(path),
    )


def database_table_counts() -> dict[str, int]:
    """Rows per table of the current database (every table its catalogue lists)."""
    with connection.cursor() as cursor:
        if database_vendor() == "sqlite":
            return _counts(cursor, _sqlite_tables(cursor))
        return _counts(cursor, connection.introspection.table_names(cursor))


def database_migrations() -> list[tuple[str, str]]:
    """Migrations applied to the current database (none when it was never migrated)."""
    if "django_migrations" not in connection.introspection.table_names():
        return []
    with connection.cursor() as cursor:
        return _migrations(cursor)


def database_holds_data() -> bool:
    """Whether the current database has an account or a country (see ``DATA_MODELS``)."""
    existing = set(connection.introspection.table_names())
    for app_label, model_name in DATA_MODELS:
        model = apps.get_model(app_label, model_name)
        if model._meta.db_table in existing and model._default_manager.exists():
            return True
    return False
