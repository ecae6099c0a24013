"""No phone number, message body or IP address of a child is stored or logged in clear: not in
log records nor in the log output the configured handlers write (captured at DEBUG, SQL
included), not in the database, not in the cache."""

import base64
import hashlib
import hmac
import pickle
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings

from cophub.helplines.channels.outbound import OutboundSms, RecordingSmsClient
from cophub.helplines.channels.replies import InboundSms, UssdRequest
from cophub.helplines.channels.sessions import channel_key

from .conftest import at_url, payload

pytestmark = pytest.mark.usefixtures("directory", "monday_noon")
TOKEN = "privacy-test-token"
NUMBER_DIGITS = "254711000000"
WHATSAPP_DIGITS = "254733000000"
SECRET_BODY = "someone is threatening to share my photos"
CHILD_IP = "198.51.100.23"


@pytest.fixture
def every_log_line(
    caplog: pytest.LogCaptureFixture, log_output: StringIO
) -> Iterator[pytest.LogCaptureFixture]:
    """Every logger at DEBUG (see ``log_output``), and Django's SQL log on, so queries are
    captured too."""
    connection.force_debug_cursor = True
    try:
        yield caplog
    finally:
        connection.force_debug_cursor = False


def twilio_post(client: Client, fields: dict[str, str]) -> None:
    data = "http://testserver/channels/sms/twilio" + "".join(
        name + fields[name] for name in sorted(fields)
    )
    signature = base64.b64encode(
        hmac.new(TOKEN.encode(), data.encode(), hashlib.sha1).digest()
    ).decode()
    response = client.post(
        "/channels/sms/twilio",
        fields,
        headers={"X-Twilio-Signature": signature},
        REMOTE_ADDR=CHILD_IP,
    )
    assert response.status_code == 200


def secrets_in(text: str) -> list[str]:
    return [s for s in (NUMBER_DIGITS, WHATSAPP_DIGITS, SECRET_BODY, CHILD_IP) if s in text]


@override_settings(TWILIO_AUTH_TOKEN=TOKEN)
def test_full_sessions_leave_no_number_body_or_address_in_logs_database_or_cache(
    client: Client,
    every_log_line: pytest.LogCaptureFixture,
    log_output: StringIO,
    outbox: RecordingSmsClient,
) -> None:
    ussd = at_url("/channels/ussd/africastalking")
    for name in ("ussd_start", "ussd_language_chosen", "ussd_send_sms", "ussd_session_end"):
        response = client.post(ussd, payload("africastalking", name), REMOTE_ADDR=CHILD_IP)
        assert response.status_code == 200
    client.post(ussd, {"sessionId": "x", "phoneNumber": ""}, REMOTE_ADDR=CHILD_IP)  # a 400
    body = f"HELP {SECRET_BODY}"
    at_sms = payload("africastalking", "sms_inbound", text=body)
    assert client.post(at_url("/channels/sms/africastalking"), at_sms, REMOTE_ADDR=CHILD_IP)
    twilio_post(client, payload("twilio", "sms_inbound", Body=body))
    whatsapp = payload("twilio", "whatsapp_inbound", From=f"whatsapp:+{WHATSAPP_DIGITS}")
    twilio_post(client, {**whatsapp, "WaId": WHATSAPP_DIGITS, "Body": SECRET_BODY})
    assert len(outbox.outbox) == 2  # the USSD option 3 and the Africa's Talking reply

    # Logs: the SQL log proves the capture works; nothing personal is in any line.
    lines = [record.getMessage() for record in every_log_line.records]
    lines += [record.exc_text or "" for record in every_log_line.records]
    assert any("helplines_helpline" in line for line in lines)
    assert [line for line in lines if secrets_in(line)] == []
    # What the handlers wrote, request warnings included: the same.
    written = log_output.getvalue()
    assert "helplines_helpline" in written and "Bad Request: /channels/ussd" in written
    assert secrets_in(written) == []
    assert "+254711000000" not in written and "%2B254711000000" not in written

    # Database: every table, dumped.
    dump = StringIO()
    call_command("dumpdata", stdout=dump)
    assert secrets_in(dump.getvalue()) == []
    assert "+254711000000" not in dump.getvalue()

    # Cache: keys are hashes; values hold no number or body.
    store = caches["default"]._cache  # type: ignore[attr-defined]
    assert store, "the sessions should have left short-lived state"
    for key, value in store.items():
        assert secrets_in(key) == []
        assert secrets_in(repr(pickle.loads(value))) == []  # noqa: S301 — our own entries


def test_reprs_never_show_a_number_or_a_body() -> None:
    objects = [
        UssdRequest(session_id="ATUid_1", phone_number="+254711000000", history="1*1"),
        InboundSms(provider="twilio", message_id="SM1", sender="+254711000000", body=SECRET_BODY),
        OutboundSms(to="+254711000000", message=SECRET_BODY),
    ]
    for item in objects:
        assert secrets_in(repr(item)) == [] and "ATUid_1" not in repr(item)


def test_cache_keys_are_salted_hashes() -> None:
    key = channel_key("sms", "+254711000000")
    assert NUMBER_DIGITS not in key
    assert key.startswith("cophub:channels:sms:") and len(key.rsplit(":", 1)[1]) == 64
    plain = hashlib.sha256(b"+254711000000").hexdigest()
    assert plain not in key  # not a bare hash anyone could recompute
    with override_settings(COPHUB_CHANNEL_SALT="another-salt"):
        assert channel_key("sms", "+254711000000") != key
    assert channel_key("ussd-sms", "+254711000000") != key
