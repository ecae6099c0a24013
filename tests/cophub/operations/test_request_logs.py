"""Log lines: one JSON object per line (``LOG_FORMAT=json``) or text, each with the request's id,
one line per request naming its route, and never a phone number, a message or an address."""

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from cophub.config.settings.base import log_format
from cophub.helplines.services import helplines_import
from cophub.operations.log_format import JsonLogFormatter, TextLogFormatter
from cophub.operations.request_ids import request_id_clear, request_id_set
from tests.cophub.helplines.conftest import fixture_document

CHILD_NUMBER = "+254711000000"
CHILD_IP = "198.51.100.23"
MESSAGE = "someone is threatening me"
AT_TOKEN = "request-log-test-token"
REQUEST_LINE_FIELDS = {
    "time",
    "level",
    "logger",
    "message",
    "request_id",
    "method",
    "route",
    "view",
    "status",
    "duration_ms",
}


def console_handler() -> logging.Handler:
    return next(h for h in logging.getLogger().handlers if h.get_name() == "console")


@pytest.fixture
def json_output(log_output: StringIO) -> Iterator[StringIO]:
    """What the console handler writes with ``LOG_FORMAT=json`` (every logger at DEBUG)."""
    handler = console_handler()
    previous = handler.formatter
    handler.setFormatter(JsonLogFormatter())
    try:
        yield log_output
    finally:
        handler.setFormatter(previous)


def json_lines(output: StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.getvalue().splitlines() if line.strip()]


def leaks(text: str) -> list[str]:
    forms = ("254711000000", "%2B254711", CHILD_IP, MESSAGE, "threatening")
    return [form for form in forms if form in text]


@pytest.fixture
def directory(db: None, settings: Any) -> None:
    settings.AT_CALLBACK_TOKEN = AT_TOKEN
    helplines_import(fixture_document("directory.json"))


def test_request_lines_are_json_with_the_route_and_the_request_id_and_nothing_personal(
    client: Client, directory: None, json_output: StringIO
) -> None:
    ussd = client.post(
        f"/channels/ussd/africastalking?token={AT_TOKEN}",
        {
            "sessionId": "ATUid_1",
            "serviceCode": "*384*116#",
            "phoneNumber": CHILD_NUMBER,
            "text": "",
        },
        REMOTE_ADDR=CHILD_IP,
    )
    resolve = client.get(
        "/api/v1/helplines/resolve", {"phone": CHILD_NUMBER, "age": "12"}, REMOTE_ADDR=CHILD_IP
    )
    sms = client.post(  # no signature configured: refused, and still logged without the body
        "/channels/sms/twilio",
        {"From": f"whatsapp:{CHILD_NUMBER}", "Body": MESSAGE},
        REMOTE_ADDR=CHILD_IP,
    )
    page = client.get(f"/en/help/{CHILD_NUMBER}/", REMOTE_ADDR=CHILD_IP)
    assert [ussd.status_code, resolve.status_code, page.status_code] == [200, 200, 404]
    assert sms.status_code in (400, 403)

    lines = json_lines(json_output)  # every line is one JSON object
    requests = [line for line in lines if line["logger"] == "cophub.requests"]
    assert [(r["method"], r["view"], r["route"], r["status"]) for r in requests] == [
        ("POST", "channels:ussd_africastalking", "channels/ussd/africastalking", 200),
        ("GET", "api:resolve", "api/v1/helplines/resolve", 200),
        ("POST", "channels:sms_twilio", "channels/sms/twilio", sms.status_code),
        ("GET", "helplines:help_country", "<lang>/help/<str:country>/", 404),
    ]
    for line, response in zip(requests, [ussd, resolve, sms, page], strict=True):
        assert set(line) == REQUEST_LINE_FIELDS
        assert line["request_id"] == response.headers["X-Request-ID"]
        assert line["level"] == "INFO" and isinstance(line["duration_ms"], float)
        assert datetime.fromisoformat(line["time"]).tzinfo is not None
    assert len({line["request_id"] for line in requests}) == 4
    # Other lines written while a request is served carry its id too (Django's warning here).
    warnings = {line["message"]: line["request_id"] for line in lines if line["level"] == "WARNING"}
    assert warnings["Not Found: /en/help/[number]/"] == page.headers["X-Request-ID"]
    assert leaks(json_output.getvalue()) == []


def test_a_trusted_proxy_gives_the_request_id_and_no_one_else_does(
    client: Client, settings: Any, json_output: StringIO
) -> None:
    settings.COPHUB_TRUSTED_PROXIES = ["10.0.0.5"]
    proxied = client.get("/healthz", REMOTE_ADDR="10.0.0.5", headers={"X-Request-ID": "nginx-4f1c"})
    assert proxied.headers["X-Request-ID"] == "nginx-4f1c"
    direct = client.get("/healthz", REMOTE_ADDR=CHILD_IP, headers={"X-Request-ID": "chosen-id"})
    assert direct.headers["X-Request-ID"] not in ("chosen-id", "")
    for malformed in ("a" * 65, "id with spaces", "+254711000000", "ид"):
        response = client.get("/healthz", REMOTE_ADDR="10.0.0.5", HTTP_X_REQUEST_ID=malformed)
        assert len(response.headers["X-Request-ID"]) == 32  # a new one
    ids = [line["request_id"] for line in json_lines(json_output)]
    assert "nginx-4f1c" in ids and "chosen-id" not in ids


def test_a_json_line_keeps_only_its_fields_and_redacts_exceptions(json_output: StringIO) -> None:
    logger = logging.getLogger("cophub.test")
    request_id_set("req-1")
    try:
        raise ValueError(f"no helpline for {CHILD_NUMBER}")
    except ValueError:
        logger.exception(
            "lookup failed for %s", CHILD_NUMBER, extra={"ip": CHILD_IP, "request": object()}
        )
    finally:
        request_id_clear()
    logger.warning("outside a request")
    failed, outside = json_lines(json_output)[-2:]
    assert set(failed) == {"time", "level", "logger", "message", "request_id", "exception"}
    assert failed["message"] == "lookup failed for [number]"
    assert "ValueError: no helpline for [number]" in failed["exception"]
    assert (failed["level"], failed["logger"], failed["request_id"]) == (
        "ERROR",
        "cophub.test",
        "req-1",
    )
    assert outside["request_id"] is None and outside["message"] == "outside a request"
    assert leaks(json_output.getvalue()) == []


def test_text_lines_carry_the_request_id_and_redact_exceptions() -> None:
    record = logging.LogRecord("cophub.test", logging.ERROR, __file__, 1, "failed", None, None)
    record.request_id = "req-2"
    try:
        raise ValueError(f"no helpline for {CHILD_NUMBER}")
    except ValueError:
        record.exc_info = sys.exc_info()
    text = TextLogFormatter().format(record)
    assert text.startswith("ERROR cophub.test [req-2] failed\n")
    assert "no helpline for [number]" in text and CHILD_NUMBER not in text


def test_log_format_is_text_or_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    assert log_format("json") == "json"
    monkeypatch.setenv("LOG_FORMAT", "text")
    assert log_format("json") == "text"
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        log_format("json")


@pytest.mark.parametrize(("log_format_env", "expected"), [(None, "json"), ("text", "text")])
def test_production_writes_json_unless_told_otherwise(
    log_format_env: str | None, expected: str
) -> None:
    environment = {k: v for k, v in os.environ.items() if k not in ("LOG_FORMAT",)}
    environment.update(SECRET_KEY="log-format-test-" + "x" * 40)
    if log_format_env:
        environment["LOG_FORMAT"] = log_format_env
    program = (
        "from cophub.config.settings import production as p; "
        "print(p.LOGGING['handlers']['console']['formatter'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == expected
