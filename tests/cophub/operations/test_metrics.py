"""``/metrics``: open to the configured networks and to the token only (404 otherwise), and its
values follow what the platform does: requests by route, the task queue, reach counts."""

import types
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from cophub.helplines import services as helpline_services
from cophub.helplines.services import helplines_import, reach_flush
from cophub.reference.tasks import reference_refresh
from tests.cophub.helplines.conftest import fixture_document

TOKEN = "metrics-test-token-" + "x" * 32
OUTSIDER = "203.0.113.5"

pytestmark = pytest.mark.django_db


def sample(client: Client, name: str, **labels: str) -> float:
    """One sample of the exposition (scraped from loopback), 0 when absent."""
    response = client.get("/metrics")
    assert response.status_code == 200
    for family in text_string_to_metric_families(response.content.decode()):
        for each in family.samples:
            if each.name == name and all(each.labels.get(k) == v for k, v in labels.items()):
                return float(each.value)
    return 0.0


def test_loopback_reads_the_metrics_uncached_and_without_language_prefix(client: Client) -> None:
    response = client.get("/metrics")  # the test client comes from 127.0.0.1
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    families = {f.name for f in text_string_to_metric_families(response.content.decode())}
    assert {"cophub_tasks_ready", "cophub_reach_flush_lag_seconds"} <= families
    assert client.get("/en/metrics").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200


def test_anyone_else_finds_nothing_there(client: Client) -> None:
    denied = client.get("/metrics", REMOTE_ADDR=OUTSIDER)
    missing = client.get("/no-such-page", REMOTE_ADDR=OUTSIDER)
    assert denied.status_code == missing.status_code == 404
    assert denied.content == missing.content.replace(b"/no-such-page", b"/metrics")
    assert client.post("/metrics", REMOTE_ADDR=OUTSIDER).status_code == 404
    assert client.post("/metrics").status_code == 405  # allowed, but only to read


@pytest.mark.parametrize(
    ("token_setting", "header", "status"),
    [
        (TOKEN, f"Bearer {TOKEN}", 200),
        (TOKEN, f"bearer {TOKEN}", 200),
        (TOKEN, f"Bearer {TOKEN[:-1]}", 404),
        (TOKEN, f"Basic {TOKEN}", 404),
        (TOKEN, "", 404),
        ("", "Bearer ", 404),  # no token configured: none opens it
    ],
)
def test_the_token_opens_it_from_anywhere(
    client: Client, settings: Any, token_setting: str, header: str, status: int
) -> None:
    settings.COPHUB_METRICS_TOKEN = token_setting
    headers = {"Authorization": header} if header else {}
    assert client.get("/metrics", REMOTE_ADDR=OUTSIDER, headers=headers).status_code == status


def test_configured_networks_replace_loopback(client: Client, settings: Any) -> None:
    settings.COPHUB_METRICS_ALLOWED_NETWORKS = ["10.1.0.0/16", "2001:db8::/32"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.200.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="2001:db8::7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.2.0.1").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_behind_a_proxy_the_forwarded_client_counts(client: Client, settings: Any) -> None:
    # A proxy on this machine that is not trusted: every request would come from loopback, so
    # a forwarded request is not let in by its address…
    forwarded_outsider = {"X-Forwarded-For": OUTSIDER}
    assert client.get("/metrics", headers=forwarded_outsider).status_code == 404
    assert client.get("/metrics", headers={"X-Real-IP": OUTSIDER}).status_code == 404
    # …once trusted, the client it names is judged.
    settings.COPHUB_TRUSTED_PROXIES = ["127.0.0.1"]
    assert client.get("/metrics", headers=forwarded_outsider).status_code == 404
    assert client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 200
    assert client.get("/metrics", headers={"X-Real-IP": "127.0.0.1"}).status_code == 404
    # A client cannot pass itself off by writing the header: the right-most address counts.
    spoofed = {"X-Forwarded-For": f"127.0.0.1, {OUTSIDER}"}
    assert client.get("/metrics", headers=spoofed).status_code == 404
    settings.COPHUB_METRICS_TOKEN = TOKEN
    with_token = {**forwarded_outsider, "Authorization": f"Bearer {TOKEN}"}
    assert client.get("/metrics", headers=with_token).status_code == 200


def test_requests_are_counted_by_route_method_and_status_class(client: Client) -> None:
    helplines_import(fixture_document("directory.json"))
    page = {"route": "helplines:help_country", "method": "GET", "status": "2xx"}
    before = sample(client, "cophub_http_requests_total", **page)
    observed = sample(client, "cophub_http_request_duration_seconds_count", **page)
    assert client.get("/en/help/KE/").status_code == 200
    assert client.get("/fr/help/KE/").status_code == 200  # one route in every language
    assert sample(client, "cophub_http_requests_total", **page) == before + 2
    assert sample(client, "cophub_http_request_duration_seconds_count", **page) == observed + 2

    lost = {"route": "unmatched", "method": "GET", "status": "4xx"}
    before = sample(client, "cophub_http_requests_total", **lost)
    assert client.get("/en/help/+254711000000/x/y").status_code == 404
    assert sample(client, "cophub_http_requests_total", **lost) == before + 1

    odd = {"route": "healthz", "method": "other", "status": "2xx"}
    before = sample(client, "cophub_http_requests_total", **odd)
    assert client.generic("BREW", "/healthz").status_code == 200
    assert sample(client, "cophub_http_requests_total", **odd) == before + 1
    exposition = client.get("/metrics").content.decode()
    assert "254711000000" not in exposition and "BREW" not in exposition


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_task_queue_depth_and_age_come_from_the_database(client: Client) -> None:
    assert sample(client, "cophub_tasks_ready", queue="default") == 0
    assert sample(client, "cophub_tasks_oldest_ready_age_seconds", queue="default") == 0
    reference_refresh.enqueue()
    reference_refresh.enqueue()
    assert sample(client, "cophub_tasks_ready", queue="default") == 2
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=5))
    assert sample(client, "cophub_tasks_oldest_ready_age_seconds", queue="default") >= 300
    claimed = DBTaskResult.objects.order_by("pk")[:1].get()
    DBTaskResult.objects.filter(pk=claimed.pk).update(status=TaskResultStatus.RUNNING)
    assert sample(client, "cophub_tasks_ready", queue="default") == 1
    assert sample(client, "cophub_tasks_running", queue="default") == 1
    assert sample(client, "cophub_metrics_database_up") == 1


def test_reach_counts_waiting_show_as_flush_lag(
    client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    helplines_import(fixture_document("directory.json"))
    reach_flush()
    assert sample(client, "cophub_reach_flush_lag_seconds") == 0
    settings.COPHUB_REACH_FLUSH_SECONDS = 3600  # counts wait in memory…
    real_time = helpline_services.time
    monkeypatch.setattr(helpline_services, "_reach_flushed_at", real_time.monotonic())  # …now
    five_minutes_ago = types.SimpleNamespace(
        time=lambda: real_time.time() - 300, monotonic=real_time.monotonic
    )
    monkeypatch.setattr(helpline_services, "time", five_minutes_ago)
    assert client.get("/en/help/KE/").status_code == 200  # an "answer shown" is counted
    monkeypatch.setattr(helpline_services, "time", real_time)
    assert sample(client, "cophub_reach_pending_counts") >= 1
    assert sample(client, "cophub_reach_flush_lag_seconds") >= 300
    written_before = sample(client, "cophub_reach_last_write_timestamp_seconds")
    reach_flush()
    assert sample(client, "cophub_reach_flush_lag_seconds") == 0
    assert sample(client, "cophub_reach_pending_counts") == 0
    assert sample(client, "cophub_reach_last_write_timestamp_seconds") > written_before
