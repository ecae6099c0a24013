"""``cophub setup``: one idempotent command makes a database ready to serve."""

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.utils import translation

from cophub.portal.management.commands.setup import setup_summary
from cophub.portal.setup_registry import StepResult, setup_steps
from cophub.reference.models import Country

from .conftest import FreshDatabase, cophub, cophub_environment, static_copied
from .test_commands import _free_port

HELPLINES_DATA = Path(__file__).parents[3] / "src/cophub/helplines/data/demo_helplines.json"
SUMMARY = re.compile(r"^Setup: (\d+) migrations? applied; (.*)\.$", re.MULTILINE)


def _changes(output: str) -> tuple[int, dict[str, int]]:
    """(migrations applied, {step label: rows changed}) from the summary line."""
    found = SUMMARY.search(output)
    assert found is not None, output
    steps = {}
    for part in found.group(2).split("; "):
        label, _sep, counted = part.partition(": ")
        steps[label] = int(counted.split()[0])
    return int(found.group(1)), steps


def test_steps_run_in_app_order() -> None:
    assert [step.key for step in setup_steps()] == [
        "reference",
        "topics",
        "frameworks",
        "contact_reasons",
        "bodies",
        "summaries",
    ]


def test_summary_names_each_step_and_is_translated() -> None:
    results = [
        StepResult(key="reference", label="reference data", created=2, updated=1, deleted=0),
        StepResult(key="bodies", label="bodies", created=0, updated=0, deleted=1),
    ]
    assert setup_summary(3, results) == (
        "Setup: 3 migrations applied; reference data: 3 rows changed; bodies: 1 row changed."
    )
    with translation.override("fr"):
        french = setup_summary(1, [])
    assert french.startswith("Installation") and "1 migration appliquée" in french


@pytest.mark.django_db
def test_rerun_changes_nothing() -> None:
    first = StringIO()
    call_command("setup", stdout=first)
    _applied, steps = _changes(first.getvalue())
    assert steps["frameworks"] > 0 and steps["helpline topics"] > 0  # not loaded by the fixtures
    assert steps["reasons for contact"] > 0
    entries, countries = LogEntry.objects.count(), Country.objects.count()
    second = StringIO()
    call_command("setup", stdout=second)
    assert _changes(second.getvalue()) == (0, dict.fromkeys(steps, 0))
    assert (LogEntry.objects.count(), Country.objects.count()) == (entries, countries)


@pytest.mark.standalone
def test_setup_on_an_empty_database_and_again(fresh_sqlite_database: FreshDatabase) -> None:
    applied, steps = _changes(fresh_sqlite_database.first_summary)
    assert applied > 50
    assert steps["reference data"] > 1000 and steps["frameworks"] > 100 and steps["bodies"] >= 6
    applied, steps = _changes(fresh_sqlite_database.second_summary)
    assert (applied, set(steps.values())) == (0, {0})
    # Nothing at all changed: every row of every table, audit log included.
    assert fresh_sqlite_database.after_second == fresh_sqlite_database.after_first


@pytest.mark.standalone
def test_after_setup_a_helpline_import_succeeds(
    fresh_sqlite_database: FreshDatabase, tmp_path: Path
) -> None:
    """On ``migrate`` alone this failed with "Unknown country code KE"."""
    document = json.loads(HELPLINES_DATA.read_text(encoding="utf-8"))
    kenya = next(entry for entry in document["helplines"] if entry["country"] == "KE")
    kenya.pop("owner")
    path = tmp_path / "ke.json"
    path.write_text(json.dumps({"format": document["format"], "helplines": [kenya]}))
    output = cophub(fresh_sqlite_database.environment, "helplines", "import", str(path))
    assert "1 helpline created" in output


@pytest.mark.standalone
def test_after_setup_the_platform_serves(
    fresh_sqlite_database: FreshDatabase, collected_static: Path
) -> None:
    static_copied(collected_static, Path(fresh_sqlite_database.environment["COPHUB_VAR_DIR"]))
    port = _free_port()
    environment = {
        **fresh_sqlite_database.environment,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "cophub.manage", "serve"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 600  # bounded wait: collectstatic, then the worker boots
        while time.monotonic() < deadline:
            assert server.poll() is None
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/api/v1/reference/countries", timeout=10
        ) as answer:
            countries = {country["iso2"] for country in json.loads(answer.read())["results"]}
        assert {"KE", "FR", "CN"} <= countries
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=10) as answer:
            assert answer.status == 200
    finally:
        server.terminate()
        server.wait(timeout=20)


def _postgres_url(name: str) -> str:
    return os.environ.get("SETUP_CHECK_POSTGRES", "postgres://postgres@127.0.0.1:5432/") + name


@pytest.mark.standalone
def test_setup_on_an_empty_postgresql_database(tmp_path: Path) -> None:
    psycopg = pytest.importorskip("psycopg")
    name = "setup_check"
    try:
        admin = psycopg.connect(_postgres_url("postgres"), autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("PostgreSQL does not answer")
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
        try:
            environment = cophub_environment(tmp_path, _postgres_url(name))
            applied, steps = _changes(cophub(environment, "setup"))
            assert applied > 50 and steps["reference data"] > 1000
            assert _changes(cophub(environment, "setup")) == (0, dict.fromkeys(steps, 0))
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
