"""The Africa's Talking callbacks need the shared secret ``?token=AT_CALLBACK_TOKEN``: without
it, 403 and nothing sent (``tests/cophub/helplines/test_checks.py``: the deploy check)."""

from typing import Any

import pytest
from django.test import Client

from cophub.helplines.channels.outbound import RecordingSmsClient
from cophub.helplines.models import ReachCount

from .conftest import AT_TOKEN, at_url, payload

pytestmark = pytest.mark.usefixtures("db", "monday_noon")  # refused before the directory is read
USSD = "/channels/ussd/africastalking"
SMS = "/channels/sms/africastalking"
CALLBACKS = [
    (SMS, "sms_inbound"),
    (SMS + "/delivery", "sms_delivery_report"),
    (USSD, "ussd_send_sms"),
    (USSD + "/events", "ussd_session_end"),
]


def assert_refused(response: Any, outbox: RecordingSmsClient) -> None:
    assert response.status_code == 403
    assert response.content == b"Forbidden: bad or missing token.\n"
    assert response["Content-Type"].startswith("text/plain")
    assert len(outbox.outbox) == 0
    assert not ReachCount.objects.exists()


@pytest.mark.parametrize(("path", "fixture"), CALLBACKS)
@pytest.mark.parametrize(
    "url",
    [
        lambda path: path,
        lambda path: f"{path}?token=",
        lambda path: at_url(path, "wrong-token"),
        lambda path: at_url(path, AT_TOKEN.upper()),
        lambda path: at_url(path, AT_TOKEN[:-1]),
        lambda path: at_url(path, AT_TOKEN + "x"),
        lambda path: at_url(path, "tëst-callback-token"),
    ],
    ids=["missing", "empty", "wrong", "case", "prefix", "longer", "non-ascii"],
)
def test_every_callback_without_the_right_token_is_refused_and_sends_nothing(
    client: Client, outbox: RecordingSmsClient, path: str, fixture: str, url: Any
) -> None:
    assert_refused(client.post(url(path), payload("africastalking", fixture)), outbox)


def test_the_token_in_the_form_instead_of_the_url_does_not_count(
    client: Client, outbox: RecordingSmsClient
) -> None:
    fields = payload("africastalking", "sms_inbound", token=AT_TOKEN)
    assert_refused(client.post(SMS, fields), outbox)


@pytest.mark.usefixtures("directory")
def test_the_right_token_gets_the_reply_sent_and_the_ussd_screen(
    client: Client, outbox: RecordingSmsClient
) -> None:
    response = client.post(at_url(SMS), payload("africastalking", "sms_inbound"))
    assert (response.status_code, response.content) == (200, b"")
    assert len(outbox.outbox) == 1
    response = client.post(at_url(USSD), payload("africastalking", "ussd_start"))
    assert response.status_code == 200 and response.content.startswith(b"CON ")


@pytest.mark.parametrize(
    ("demo", "client_name", "open_without_token"),
    [(True, "recording", True), (True, "africastalking", False), (False, "recording", False)],
)
@pytest.mark.usefixtures("directory")
def test_without_a_configured_token_only_the_recording_demo_is_open(
    client: Client,
    outbox: RecordingSmsClient,
    settings: Any,
    demo: bool,
    client_name: str,
    open_without_token: bool,
) -> None:
    settings.AT_CALLBACK_TOKEN = ""
    settings.COPHUB_DEMO = demo
    settings.COPHUB_SMS_CLIENT = client_name
    for url in (USSD, at_url(USSD, "anything")):
        response = client.post(url, payload("africastalking", "ussd_start"))
        assert response.status_code == (200 if open_without_token else 403)
