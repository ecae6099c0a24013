"""The embedded SQLite database is set up for several processes (WAL, IMMEDIATE transactions,
a busy timeout); other databases get none of SQLite's options."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cophub.config.settings.environment import SQLITE_BUSY_TIMEOUT_SECONDS, database_settings


def test_sqlite_gets_wal_immediate_transactions_and_a_busy_timeout(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    options = database_settings(f"sqlite:///{tmp_path / 'x.sqlite3'}")["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == SQLITE_BUSY_TIMEOUT_SECONDS == 20
    assert "journal_mode=WAL" in options["init_command"]
    assert "synchronous=NORMAL" in options["init_command"]


def test_postgresql_gets_no_sqlite_options(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://cophub@db.invalid:5432/cophub")
    config = database_settings("sqlite:///unused.sqlite3")["default"]
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert "transaction_mode" not in config.get("OPTIONS", {})
    assert "init_command" not in config.get("OPTIONS", {})


def test_a_database_file_opened_by_cophub_is_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "wal.sqlite3"
    script = (
        "import django; django.setup(); from django.db import connection;"
        "cursor = connection.cursor();"
        "cursor.execute('PRAGMA journal_mode'); print(cursor.fetchone()[0]);"
        "cursor.execute('PRAGMA synchronous'); print(cursor.fetchone()[0]);"
        "cursor.execute('PRAGMA busy_timeout'); print(cursor.fetchone()[0])"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cophub.config.settings.test",
            "DATABASE_URL": f"sqlite:///{path}",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["wal", "1", "20000"]  # synchronous 1 = NORMAL
    # Kept in the file: any later connection, even one without these settings, is in WAL.
    with sqlite3.connect(path) as plain:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
