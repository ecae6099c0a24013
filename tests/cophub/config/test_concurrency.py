"""A real server under parallel writers while a long read transaction is open: no 500, nothing
lost. Runs on the database of the test session: SQLite in the SQLite run of ``make test``,
PostgreSQL in its PostgreSQL run.

The session's test database (migrated, reference data loaded) is copied once — SQLite through
its backup API, PostgreSQL as a template — then ``cophub serve`` (gunicorn, two processes with
threads) and ``cophub db_worker`` run on the copy. Another connection opens a transaction and
reads, and keeps it open while survey uploads (checked by the worker), strategy answers,
token requests, sign-ins and USSD sessions go through HTTP at once. Before WAL, a read
transaction on SQLite held every write until its 5 s timeout: 500s, and a check task that
crashed in its failure handler (issue 13)."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from django.db import connection, connections

from tests.cophub.statistics.conftest import survey_bytes

REPO = Path(__file__).resolve().parents[3]
AT_TOKEN = "concurrency-callback-token"
READ_HELD_SECONDS = 4  # the read transaction stays open at least this long, writes or not
BOUNDED_WAIT = 120  # seconds, for the server to start and the worker to finish (never reached)
# The session's test database must exist (pytest-django creates it only for tests that use
# it); the test itself reads and writes only the copy.
pytestmark = pytest.mark.django_db


@dataclass
class Copy:
    vendor: str
    url: str
    query: Callable[[str], list[tuple[Any, ...]]]
    open_reader: Callable[[], Any]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _sqlite_copy(folder: Path) -> Copy:
    path = folder / "concurrency.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()

    def query(sql: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(path) as reader:
            return list(reader.execute(sql))

    def open_reader() -> Any:
        reader = sqlite3.connect(path, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM statistics_dataset").fetchone()
        return reader

    return Copy("sqlite", f"sqlite:///{path}", query, open_reader)


def _postgresql_copy() -> tuple[Copy, Callable[[], None]]:
    import psycopg

    settings = connection.settings_dict
    source = settings["NAME"]
    name = f"{source}_concurrency"[:63]
    params = {
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
    }
    connections.close_all()  # a template must have no other session
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')

    def query(sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(dbname=name, **params) as reader:
            return list(reader.execute(sql))  # type: ignore[arg-type]

    def open_reader() -> Any:
        reader = psycopg.connect(dbname=name, **params)
        reader.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        reader.execute("SELECT count(*) FROM statistics_dataset").fetchone()
        return reader

    def drop() -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    password = f":{params['password']}" if params["password"] else ""
    url = f"postgres://{params['user']}{password}@{params['host']}:{params['port']}/{name}"
    return Copy("postgresql", url, query, open_reader), drop


@pytest.fixture(scope="module")
def database_copy(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Copy]:
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            yield _sqlite_copy(tmp_path_factory.mktemp("concurrency"))
        elif connection.vendor == "postgresql":
            copy, drop = _postgresql_copy()
            try:
                yield copy
            finally:
                drop()
        else:
            pytest.skip(f"no concurrency test for {connection.vendor}")


def _environment(copy: Copy, var_dir: Path, port: int) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    environment.update(
        DJANGO_SETTINGS_MODULE="tests.cophub.config.concurrency_settings",
        PYTHONPATH=os.pathsep.join([str(REPO / "src"), str(REPO)]),
        SECRET_KEY="concurrency-test-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        COPHUB_VAR_DIR=str(var_dir),
        DATABASE_URL=copy.url,
        SMS_CLIENT="recording",
        AT_CALLBACK_TOKEN=AT_TOKEN,
        CHANNEL_SALT="concurrency-salt",
        REACH_FLUSH_SECONDS="0",  # every USSD answer writes its count at once
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        WEB_THREADS="4",
    )
    return environment


def _cophub(environment: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cophub.manage", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@dataclass
class Site:
    base: str
    data: dict[str, Any]
    environment: dict[str, str]


@pytest.fixture(scope="module")
def site(database_copy: Copy, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    var_dir = tmp_path_factory.mktemp("concurrency-var")
    port = _free_port()
    environment = _environment(database_copy, var_dir, port)
    made = _cophub(
        environment, "shell", "-c", (Path(__file__).parent / "concurrency_data.py").read_text()
    )
    assert made.returncode == 0, made.stderr
    data = json.loads(made.stdout.strip().splitlines()[-1])
    log = (var_dir / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "cophub.manage", "serve", "--no-collectstatic"],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cophub.manage",
            "db_worker",
            "--no-startup-delay",
            "--interval",
            "0.2",
        ],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + BOUNDED_WAIT
        while True:
            try:
                if requests.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert server.poll() is None, (var_dir / "server.log").read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield Site(base=base, data=data, environment=environment)
    finally:
        for process in (server, worker):
            process.terminate()
        for process in (server, worker):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def _upload(site: Site, dataset: int, content: bytes) -> int:
    response = requests.post(
        f"{site.base}/api/v1/statistics/datasets/{dataset}/microdata",
        headers={"Authorization": f"Bearer {site.data['token']}"},
        files={"file": ("survey.csv", content, "text/csv")},
        timeout=60,
    )
    return response.status_code


def _answer(site: Site, item: str) -> int:
    response = requests.put(
        f"{site.base}/api/v1/strategies/assessments/{site.data['assessment']}/answers/{item}",
        headers={"Authorization": f"Bearer {site.data['token']}"},
        json={"value": "no", "comment": "concurrency"},
        timeout=60,
    )
    return response.status_code


def _token(site: Site, number: int) -> int:
    headers = {"Authorization": f"Bearer {site.data['token']}"}
    read = requests.get(f"{site.base}/api/v1/me", headers=headers, timeout=60)
    if read.status_code != 200:
        return read.status_code
    created = requests.post(
        f"{site.base}/api/v1/tokens", headers=headers, json={"name": f"c{number}"}, timeout=60
    )
    return created.status_code


def _sign_in(site: Site) -> int:
    with requests.Session() as browser:
        form = browser.get(f"{site.base}/en/accounts/login/", timeout=60)
        if form.status_code != 200:
            return form.status_code
        response = browser.post(
            f"{site.base}/en/accounts/login/",
            data={
                "username": site.data["username"],
                "password": site.data["password"],
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            },
            headers={"Referer": f"{site.base}/en/accounts/login/"},
            allow_redirects=False,
            timeout=60,
        )
        return response.status_code


def _ussd(site: Site, number: int) -> int:
    """One USSD session's step that shows the numbers (a language, then "talk to someone
    now"; the gateway sends the whole history): one anonymous "answer shown" each."""
    response = requests.post(
        f"{site.base}/channels/ussd/africastalking?token={AT_TOKEN}",
        data={
            "sessionId": f"ATUid_{uuid.uuid4().hex}",
            "serviceCode": "*384*116#",
            "phoneNumber": f"+2547110{number:05d}",
            "networkCode": "63902",
            "text": "1*1",
        },
        timeout=60,
    )
    assert response.status_code != 200 or response.text.startswith("END"), response.text
    return response.status_code


def _count(copy: Copy, sql: str) -> int:
    return int(copy.query(sql)[0][0] or 0)


def test_parallel_writers_beside_a_long_read_lose_nothing(database_copy: Copy, site: Site) -> None:
    copy = database_copy
    content = survey_bytes("csv")
    tokens_before = _count(copy, "SELECT count(*) FROM accounts_apitoken")
    sessions_before = _count(copy, "SELECT count(*) FROM django_session")
    datasets = site.data["datasets"]
    items = site.data["items"]
    jobs: list[tuple[str, Callable[[], int]]] = []
    jobs += [("upload", lambda d=d: _upload(site, d, content)) for d in datasets]
    jobs += [("answer", lambda i=i: _answer(site, i)) for i in items]
    jobs += [("token", lambda n=n: _token(site, n)) for n in range(10)]
    jobs += [("sign_in", lambda: _sign_in(site)) for _n in range(4)]
    jobs += [("ussd", lambda n=n: _ussd(site, n)) for n in range(10)]

    reader = copy.open_reader()
    try:
        opened = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = list(pool.map(lambda job: (job[0], job[1]()), jobs))
        # The reader saw none of it and still holds its transaction.
        assert reader.execute("SELECT count(*) FROM accounts_apitoken").fetchone()[0] == (
            tokens_before
        )
        time.sleep(max(0.0, READ_HELD_SECONDS - (time.monotonic() - opened)))
    finally:
        reader.rollback()
        reader.close()

    statuses = Counter(outcomes)
    expected = {"upload": 202, "answer": 200, "token": 201, "sign_in": 302, "ussd": 200}
    assert {(kind, status) for kind, status in statuses} == set(expected.items()), statuses

    # Every check reaches a final state (bounded wait for the worker). The SQL below is made
    # of this test's own integers only.
    deadline = time.monotonic() + BOUNDED_WAIT
    ours = "statistics_dataset WHERE id IN ({})".format(",".join(str(int(d)) for d in datasets))
    while _count(copy, f"SELECT count(*) FROM {ours} AND check_status = 'pending'"):  # noqa: S608
        assert time.monotonic() < deadline, "checks still pending"
        time.sleep(0.5)
    checks = copy.query(f"SELECT check_status, count(*) FROM {ours} GROUP BY check_status")  # noqa: S608
    assert dict(checks) == {"passed": len(datasets)}

    # Nothing lost: every write that was answered with success is there.
    assert _count(copy, "SELECT count(*) FROM accounts_apitoken") == tokens_before + 10
    assessment = int(site.data["assessment"])
    answered = _count(
        copy,
        "SELECT count(*) FROM strategies_answer "  # noqa: S608
        f"WHERE assessment_id = {assessment} AND comment = 'concurrency'",
    )
    assert answered == len(items)
    assert _count(copy, "SELECT count(*) FROM django_session") == sessions_before + 4
    uploaded = _count(
        copy,
        f"SELECT count(*) FROM statistics_datasetevent WHERE dataset_id IN (SELECT id FROM {ours}) "  # noqa: S608
        "AND action = 'uploaded'",
    )
    assert uploaded == len(datasets)
    shown = _count(
        copy,
        "SELECT sum(count) FROM helplines_reachcount WHERE country = 'KE' AND channel = 'ussd' "
        "AND event = 'answer_shown'",
    )
    assert shown == 10
    # And the stored files agree with the rows.
    checked = _cophub(site.environment, "check_storage")
    assert checked.returncode == 0, checked.stdout + checked.stderr
