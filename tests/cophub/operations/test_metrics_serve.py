"""``cophub serve`` as production runs it, two worker processes: ``/metrics`` adds up what every
worker counted, and every line the server logs (gunicorn's too) is one JSON object. The task
queue metrics are tested in ``test_metrics`` (a database migrated for this one would take a
minute)."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

REQUESTS = 24


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - our own server
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status), dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _sample(exposition: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(exposition):
        for each in family.samples:
            if each.name == name and all(each.labels.get(k) == v for k, v in labels.items()):
                return float(each.value)
    return 0.0


def test_metrics_add_up_across_worker_processes_and_logs_are_json(tmp_path: Path) -> None:
    port = _free_port()
    (tmp_path / "static").mkdir()  # as collectstatic would leave it (skipped here: not tested)
    base = f"http://127.0.0.1:{port}"
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "LOG_FORMAT", "PROMETHEUS_MULTIPROC_DIR")
        and k not in ("DATABASE_URL", "REDIS_URL")  # an empty SQLite file under tmp_path
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="cophub.config.settings.production",
        SECRET_KEY="metrics-serve-test-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        COPHUB_VAR_DIR=str(tmp_path),
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        WEB_THREADS="1",
        TRUSTED_PROXIES="127.0.0.1",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "cophub.manage", "serve", "--no-collectstatic"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _attempt in range(900):  # bounded wait while the workers boot
            assert server.poll() is None, server.communicate()[0]
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        statuses = []
        for _request in range(REQUESTS):  # a new connection each: both workers take some
            statuses.append(_get(f"{base}/api/v1/openapi.json")[0])  # needs no database
        assert statuses == [200] * REQUESTS
        status, headers, _body = _get(f"{base}/healthz", {"X-Request-ID": "proxy-id-1"})
        assert (status, headers["X-Request-ID"]) == (200, "proxy-id-1")
        status, _headers, body = _get(f"{base}/metrics")
        assert status == 200
        exposition = body.decode()
        openapi = {"route": "api:openapi-json", "method": "GET", "status": "2xx"}
        assert _sample(exposition, "cophub_http_requests_total", **openapi) == REQUESTS
        # A database without its tables (never migrated here) is said, not an error.
        assert _sample(exposition, "cophub_metrics_database_up") == 0
        assert "cophub_tasks_ready" not in exposition
        # Each worker counts in files of its own, which the scrape added up.
        assert list((tmp_path / "metrics").glob("counter_*.db"))
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]  # all JSON
    assert sum("Booting worker" in line["message"] for line in lines) == 2
    requests = [line for line in lines if line["logger"] == "cophub.requests"]
    assert len(requests) == REQUESTS  # the probes are logged at DEBUG only
    assert {line["route"] for line in requests} == {"api/v1/openapi.json"}
    assert len({line["request_id"] for line in requests}) == REQUESTS
