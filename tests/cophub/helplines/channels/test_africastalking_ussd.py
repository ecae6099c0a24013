from typing import Any

import pytest
from django.test import Client

from copcore.helplines.sms import sms_segments
from copcore.helplines.ussd import ussd_fits
from cophub.helplines.channels.outbound import RecordingSmsClient
from cophub.helplines.models import ReachCount

from .conftest import CHILD_NUMBER, at_url, payload

pytestmark = pytest.mark.usefixtures("directory", "monday_noon")
PATH = "/channels/ussd/africastalking"
URL = at_url(PATH)


def post(client: Client, name: str, **changes: str) -> Any:
    return client.post(URL, payload("africastalking", name, **changes))


def screen(response: Any) -> tuple[str, list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    kind, _space, text = body.partition(" ")
    assert kind in ("CON", "END") and ussd_fits(text) and len(text) <= 182
    return kind, text.split("\n")


def ussd_answers() -> int:
    rows = ReachCount.objects.filter(
        country="KE", channel="ussd", event=ReachCount.Event.ANSWER_SHOWN
    )
    return sum(row.count for row in rows)


def test_session_replayed_step_by_step(client: Client) -> None:
    assert screen(post(client, "ussd_start")) == (
        "CON",
        ["Choose language / Chagua lugha", "1 English", "2 Kiswahili"],
    )
    kind, lines = screen(post(client, "ussd_language_chosen"))
    assert kind == "CON" and lines[1] == "1 Talk to someone now"
    kind, lines = screen(post(client, "ussd_talk_now"))
    assert kind == "END"
    assert lines == [
        "Someone will listen:",
        "Test Childline: call 116 (free, 24/7)",
        "SMS 21116 (free, open until 20:00)",
        "Test General Line: call 0800 720 000 (24/7)",
        "In danger now? Call 999",
    ]
    assert ussd_answers() == 1


def test_sms_option_sends_once_to_the_caller_and_counts_once(
    client: Client, outbox: RecordingSmsClient
) -> None:
    kind, lines = screen(post(client, "ussd_send_sms"))
    assert kind == "END" and lines[0] == "Tunakutumia pia namba hizi kwa SMS."
    post(client, "ussd_send_sms")  # the gateway retries the same step
    assert len(outbox.outbox) == 1
    sms = outbox.outbox[0]
    assert sms.to == CHILD_NUMBER
    assert sms.message.startswith("Msaada kwa ajili yako:\nSimu ya Watoto (majaribio): piga 116")
    assert "Uko hatarini? Piga 999" in sms.message and sms_segments(sms.message) == 1
    assert ussd_answers() == 1


def test_invalid_input_re_shows_the_menu(client: Client) -> None:
    assert screen(post(client, "ussd_invalid_input")) == screen(
        post(client, "ussd_language_chosen")
    )


def test_unknown_country_ends_with_a_plain_statement(client: Client) -> None:
    kind, lines = screen(post(client, "ussd_unknown_country"))
    assert kind == "END"
    assert lines == [
        "Sorry, we could not tell which country you are in.",
        "If you are in danger, call your local emergency number.",
    ]


def test_end_of_session_notification_is_accepted_and_ignored(client: Client) -> None:
    for url in (URL, at_url(PATH + "/events")):
        response = client.post(url, payload("africastalking", "ussd_session_end"))
        assert (response.status_code, response.content) == (200, b"")
    assert ussd_answers() == 0


@pytest.mark.parametrize(
    "changes", [{"phoneNumber": ""}, {"phoneNumber": "   "}], ids=["empty", "blank"]
)
def test_post_without_a_number_is_a_plain_400(client: Client, changes: dict[str, str]) -> None:
    response = post(client, "ussd_start", **changes)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"Bad request: missing_field (phoneNumber).\n"


def test_wrong_method_and_empty_post_are_plain_400(client: Client) -> None:
    for response in (client.get(URL), client.post(URL, {}), client.put(URL, "text=1")):
        assert response.status_code == 400
        assert b"Traceback" not in response.content
        assert response["Content-Type"].startswith("text/plain")


def test_missing_session_id_is_a_plain_400_as_documented(client: Client) -> None:
    fields = payload("africastalking", "ussd_talk_now")
    del fields["sessionId"]
    response = client.post(URL, fields)
    assert response.status_code == 400
    assert response.content == b"Bad request: missing_field (sessionId).\n"


def test_internal_failure_ends_with_the_countrys_numbers(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("cophub.helplines.channels.replies.ussd_screen", broken)
    kind, lines = screen(post(client, "ussd_talk_now"))
    assert kind == "END"
    assert lines == ["Someone will listen:", "Test Childline: call 116", "In danger now? Call 999"]


def test_database_failure_uses_the_last_copy_of_the_directory(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen(post(client, "ussd_start"))  # the directory is read, and a copy kept

    def unreachable(**kwargs: object) -> None:
        raise ConnectionError("database unreachable")

    monkeypatch.setattr("cophub.helplines.channels.replies.helpline_directory", unreachable)
    monkeypatch.setattr("cophub.helplines.channels.replies.topic_parents", unreachable)
    kind, lines = screen(post(client, "ussd_talk_now"))
    assert kind == "END" and "Test Childline: call 116" in lines and lines[-1].endswith("999")


def test_csrf_is_not_required(client: Client) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, payload("africastalking", "ussd_start")).status_code == 200
