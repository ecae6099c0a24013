"""No child's phone number or message in any log line, at any log level: the request lines of
the development server that ``cophub demo`` runs, Django's request warnings, any logged URL."""

import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.db import connections
from django.test import Client

from cophub.portal.log_privacy import ChildDataLogFilter, redact_log_text

NUMBER_FORMS = ("+254711000000", "%2B254711000000", "254711000000", "+254 711 000000")
MESSAGE = "someone+is+threatening+me"
CHANNEL_QUERIES = [
    # Gateways post forms; a misconfigured one may send the same fields in the query string.
    f"/channels/sms/twilio?From=%2B254711000000&Body={MESSAGE}&WaId=254711000000",
    f"/channels/sms/africastalking?from=%2B254711000000&text={MESSAGE}",
    f"/channels/ussd/africastalking?phoneNumber=%2B254711000000&text={MESSAGE}&msisdn=254711000000",
]


def leaks(text: str) -> list[str]:
    return [s for s in (*NUMBER_FORMS, MESSAGE, "threatening") if s in text]


@contextmanager
def development_server() -> Iterator[str]:
    """Django's development server, as ``cophub demo`` runs it (its request handler logs every
    request line to ``django.server``), on the test database in a thread."""
    connection = connections["default"]
    shared = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if shared:  # the in-memory test database exists only on this connection
        connection.inc_thread_sharing()
    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=False)
    server.set_app(WSGIHandler())

    def serve() -> None:
        if shared:
            connections["default"] = connection
        try:
            server.serve_forever(poll_interval=0.05)
        finally:
            if not shared:
                connections.close_all()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        if shared:
            connection.dec_thread_sharing()


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db
def test_development_server_request_lines_keep_no_number_or_message(
    log_output: StringIO,
) -> None:
    resolve = "/api/v1/helplines/resolve?phone=%2B254711000000&age=twelve"
    with development_server() as base:
        assert status_of(base + resolve) == 400
        assert [status_of(base + path) for path in CHANNEL_QUERIES] == [400, 400, 400]
        assert status_of(base + "/en/help/+254711000000/") == 404
    output = log_output.getvalue()
    # The request lines were written (the capture works), with what is not private…
    assert '"GET /api/v1/helplines/resolve?phone=[removed]&age=twelve HTTP/1.1" 400' in output
    assert "/channels/sms/twilio?From=[removed]&Body=[removed]&WaId=[removed]" in output
    assert "/channels/ussd/africastalking?phoneNumber=[removed]&text=[removed]" in output
    # …and nothing that is.
    assert leaks(output) == []


@pytest.mark.django_db
def test_request_warnings_keep_no_number_at_debug_level(
    client: Client, log_output: StringIO
) -> None:
    response = client.get("/api/v1/helplines/resolve", {"phone": "+254711000000", "age": "x"})
    assert response.status_code == 400
    assert client.get("/en/help/+254711000000/").status_code == 404
    for path in CHANNEL_QUERIES:
        assert client.get(path).status_code == 400
    output = log_output.getvalue()
    assert "Bad Request: /api/v1/helplines/resolve" in output
    assert "Not Found: /en/help/[number]/" in output
    assert leaks(output) == []


@pytest.mark.parametrize(
    ("logged", "written"),
    [
        (
            '"GET /api/v1/helplines/resolve?country=KE&phone=%2B254711000000 HTTP/1.1" 400 97',
            '"GET /api/v1/helplines/resolve?country=KE&phone=[removed] HTTP/1.1" 400 97',
        ),
        ("/widget/KE/?PHONE=0711000000&lang=sw", "/widget/KE/?PHONE=[removed]&lang=sw"),
        (
            '"POST /channels/ussd/africastalking?token=s3cret-Token_1 HTTP/1.1" 403 40',
            '"POST /channels/ussd/africastalking?token=[removed] HTTP/1.1" 403 40',
        ),
        (
            "POST /channels/sms/twilio?Body=HELP+KE;From=x",
            "POST /channels/sms/twilio?Body=[removed];From=[removed]",
        ),
        ("sender whatsapp:+254 711-000.000 unknown", "sender whatsapp:[number] unknown"),
        # Not private: kept as they are.
        ("/en/help/KE/?age=12&topic=grooming", "/en/help/KE/?age=12&topic=grooming"),
        (
            "starts 2026-11-30T09:00:00+03:00, 1234567 rows",
            "starts 2026-11-30T09:00:00+03:00, 1234567 rows",
        ),
    ],
)
def test_redaction_of_log_text(logged: str, written: str) -> None:
    assert redact_log_text(logged) == written


def test_the_filter_rewrites_a_record_with_arguments_for_every_later_handler() -> None:
    record = logging.LogRecord(
        "django.server",
        logging.WARNING,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /api/v1/helplines/resolve?phone=%2B254711000000 HTTP/1.1", "400", "97"),
        None,
    )
    assert ChildDataLogFilter().filter(record) is True
    assert record.getMessage() == '"GET /api/v1/helplines/resolve?phone=[removed] HTTP/1.1" 400 97'
