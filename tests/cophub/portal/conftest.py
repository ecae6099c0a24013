"""What the tests of real ``cophub`` processes share, made once per session: a database made
from nothing by ``cophub setup`` (the migrations take minutes on a fresh SQLite file), and the
static files as ``collectstatic`` leaves them for production (a minute of compression).

These tests start their own processes on their own databases, whatever the suite's
``DATABASE_URL``: they are marked ``standalone`` and the PostgreSQL pass of ``make test`` skips
them (they would only run again, unchanged)."""

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

SECRET = "setup-test-" + "x" * 50


def cophub_environment(var_dir: Path, database_url: str) -> dict[str, str]:
    """Production settings on their own files and database (as an operator runs them)."""
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    environment.update(
        DJANGO_SETTINGS_MODULE="cophub.config.settings.production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        COPHUB_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
    )
    return environment


def cophub(environment: dict[str, str], *args: str) -> str:
    """Run ``cophub ARGS`` and return its standard output (it must succeed)."""
    done = subprocess.run(
        [sys.executable, "-m", "cophub.manage", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def sqlite_contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order."""
    with sqlite3.connect(path) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: sorted(connection.execute(f'SELECT * FROM "{table}"'), key=repr)  # noqa: S608
            for table in tables
        }


@dataclass(frozen=True)
class FreshDatabase:
    path: Path
    environment: dict[str, str]
    first_summary: str
    second_summary: str
    after_first: dict[str, list[tuple[object, ...]]]
    after_second: dict[str, list[tuple[object, ...]]]


@pytest.fixture(scope="session")
def fresh_sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> FreshDatabase:
    """``cophub setup`` run twice on a new SQLite file, with the contents after each run."""
    var_dir = tmp_path_factory.mktemp("setup-var")
    path = var_dir / "fresh.sqlite3"
    environment = cophub_environment(var_dir, f"sqlite:///{path}")
    first = cophub(environment, "setup")
    after_first = sqlite_contents(path)
    second = cophub(environment, "setup")
    return FreshDatabase(
        path=path,
        environment=environment,
        first_summary=first,
        second_summary=second,
        after_first=after_first,
        after_second=sqlite_contents(path),
    )


COLLECT_SCRIPT = (
    "import django; django.setup(); "
    "from cophub.portal.static_collection import static_collect; static_collect()"
)


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``STATIC_ROOT`` after a production collection, with the fingerprint that lets
    ``cophub serve`` and ``cophub demo`` skip collecting again."""
    var_dir = tmp_path_factory.mktemp("static-var")
    environment = cophub_environment(var_dir, f"sqlite:///{var_dir / 'unused.sqlite3'}")
    done = subprocess.run(
        [sys.executable, "-c", COLLECT_SCRIPT],
        env=environment,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return var_dir / "static"


def static_copied(collected_static: Path, var_dir: Path) -> None:
    """Give ``var_dir`` the collected static files (a copy: each process may write there)."""
    shutil.copytree(collected_static, var_dir / "static", dirs_exist_ok=True)
