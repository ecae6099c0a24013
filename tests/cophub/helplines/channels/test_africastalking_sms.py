from typing import Any

import pytest
from django.test import Client, override_settings

from copcore.helplines.sms import sms_encoding, sms_segments
from cophub.helplines.channels.outbound import RecordingSmsClient
from cophub.helplines.models import ReachCount

from .conftest import CHILD_NUMBER, at_url, payload

pytestmark = pytest.mark.usefixtures("directory", "monday_noon")
PATH = "/channels/sms/africastalking"
URL = at_url(PATH)


def post(client: Client, name: str, **changes: str) -> Any:
    return client.post(URL, payload("africastalking", name, **changes))


def test_any_message_gets_the_senders_country_helplines(
    client: Client, outbox: RecordingSmsClient
) -> None:
    response = post(client, "sms_inbound")
    assert (response.status_code, response.content) == (200, b"")
    [sms] = outbox.outbox
    assert sms.to == CHILD_NUMBER
    assert sms.sender == "40116"  # the short code the child wrote to
    assert sms.link_id == "SampleLinkId123"
    assert sms.message.split("\n") == [
        "Help for you:",
        "Test Childline: call 116 (free, 24/7)",
        "SMS 21116 (free, open until 20:00)",
        "Test General Line: call 0800 720 000 (24/7)",
        "In danger now? Call 999",
    ]
    assert sms_encoding(sms.message) == "gsm7" and sms_segments(sms.message) == 1
    assert ReachCount.objects.get(country="KE", channel="sms").count == 1


def test_duplicate_delivery_is_answered_once(client: Client, outbox: RecordingSmsClient) -> None:
    assert post(client, "sms_inbound").status_code == 200
    assert post(client, "sms_inbound").status_code == 200
    assert len(outbox.outbox) == 1
    assert ReachCount.objects.get(country="KE", channel="sms").count == 1


def test_keyword_and_country_code_pick_country_and_language(
    client: Client, outbox: RecordingSmsClient
) -> None:
    post(client, "sms_keyword_country")
    assert outbox.outbox[-1].message == (
        "De l'aide pour toi :\n"
        "Allo Enfance (test) : appelle le 3018 (gratuit, ouvert jusqu'à 23:00)\n"
        "Si tu es en danger, appelle le numéro d'urgence de ton pays."
    )
    # A follow-up without keyword, within 10 minutes, stays with France and French.
    post(client, "sms_inbound", id="follow-up-1", text="merci")
    assert "3018" in outbox.outbox[-1].message and "appelle" in outbox.outbox[-1].message


@override_settings(AT_SMS_SENDER="COPHUB")
def test_configured_sender_id_is_used(client: Client, outbox: RecordingSmsClient) -> None:
    post(client, "sms_inbound")
    assert outbox.outbox[0].sender == "COPHUB"


def test_delivery_reports_are_accepted_and_ignored(
    client: Client, outbox: RecordingSmsClient
) -> None:
    for url in (URL, at_url(PATH + "/delivery")):
        response = client.post(url, payload("africastalking", "sms_delivery_report"))
        assert (response.status_code, response.content) == (200, b"")
    assert len(outbox.outbox) == 0


@pytest.mark.parametrize("missing", ["from", "id"])
def test_post_without_sender_or_id_is_a_plain_400(
    client: Client, outbox: RecordingSmsClient, missing: str
) -> None:
    fields = payload("africastalking", "sms_inbound")
    del fields[missing]
    response = client.post(URL, fields)
    assert response.status_code == 400
    assert response.content == f"Bad request: missing_field ({missing}).\n".encode()
    assert client.get(URL).status_code == 400
    assert len(outbox.outbox) == 0


def test_unknown_country_gets_the_keyword_hint(client: Client, outbox: RecordingSmsClient) -> None:
    post(client, "sms_inbound", id="unknown-1", **{"from": "+999123"})
    assert outbox.outbox[-1].message == (
        "Sorry, we could not tell which country you are in.\n"
        "Send HELP and your country code, like HELP KE.\n"
        "If you are in danger, call your local emergency number."
    )


def test_internal_failure_still_sends_the_countrys_numbers(
    client: Client, outbox: RecordingSmsClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("cophub.helplines.channels.replies.channel_resolve", broken)
    assert post(client, "sms_inbound").status_code == 200
    assert outbox.outbox[-1].message == (
        "Someone will listen:\nTest Childline: call 116\nIn danger now? Call 999"
    )
