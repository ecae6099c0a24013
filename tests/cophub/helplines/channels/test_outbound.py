import io
import json
import logging
import urllib.error
import urllib.request
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from cophub.helplines.channels.outbound import (
    AT_LIVE_ENDPOINT,
    AT_SANDBOX_ENDPOINT,
    AfricasTalkingSmsClient,
    OutboundSms,
    RecordingSmsClient,
    SmsSendError,
    sms_client,
    sms_send,
)

SMS = OutboundSms(to="+254711000000", message="Call 116", sender="40116", link_id="L1")


class Reply(io.BytesIO):
    def __enter__(self) -> "Reply":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class FakeOpener:
    def __init__(self, status_code: int = 101) -> None:
        self.status_code = status_code
        self.requests: list[tuple[urllib.request.Request, float]] = []

    def __call__(self, request: urllib.request.Request, timeout: float) -> Reply:
        self.requests.append((request, timeout))
        recipients = [{"statusCode": self.status_code, "number": "+254711000000", "cost": "0"}]
        body = {"SMSMessageData": {"Message": "Sent to 1/1", "Recipients": recipients}}
        return Reply(json.dumps(body).encode())


def test_africastalking_request_shape() -> None:
    opener = FakeOpener()
    AfricasTalkingSmsClient("cophub", "secret-key", opener=opener).send(SMS)
    [(request, timeout)] = opener.requests
    assert request.full_url == AT_LIVE_ENDPOINT and request.get_method() == "POST"
    assert request.get_header("Apikey") == "secret-key"
    assert request.get_header("Content-type") == "application/x-www-form-urlencoded"
    assert request.get_header("Accept") == "application/json"
    assert isinstance(request.data, bytes)
    assert parse_qs(request.data.decode()) == {
        "username": ["cophub"],
        "to": ["+254711000000"],
        "message": ["Call 116"],
        "from": ["40116"],
        "linkId": ["L1"],
    }
    assert 0 < timeout <= 15


def test_sandbox_username_uses_the_sandbox() -> None:
    opener = FakeOpener()
    AfricasTalkingSmsClient("sandbox", "k", opener=opener).send(OutboundSms(to="+1", message="x"))
    assert opener.requests[0][0].full_url == AT_SANDBOX_ENDPOINT
    assert "from" not in parse_qs(opener.requests[0][0].data.decode())  # type: ignore[union-attr]


@pytest.mark.parametrize("status", [403, 405, 406])
def test_refused_recipient_raises_without_the_number(status: int) -> None:
    client = AfricasTalkingSmsClient("cophub", "k", opener=FakeOpener(status))
    with pytest.raises(SmsSendError) as raised:
        client.send(SMS)
    assert raised.value.code == f"status_{status}" and "254711" not in str(raised.value)


def test_http_error_raises_a_coded_error() -> None:
    def refuse(request: Any, timeout: float) -> None:
        raise urllib.error.HTTPError(request.full_url, 401, "Unauthorized", {}, None)  # type: ignore[arg-type]

    with pytest.raises(SmsSendError, match="http_401"):
        AfricasTalkingSmsClient("cophub", "k", opener=refuse).send(SMS)


def test_client_is_chosen_by_setting() -> None:
    with override_settings(COPHUB_SMS_CLIENT="recording"):
        assert isinstance(sms_client(), RecordingSmsClient)
    with override_settings(COPHUB_SMS_CLIENT="africastalking", AT_USERNAME="u", AT_API_KEY="k"):
        assert isinstance(sms_client(), AfricasTalkingSmsClient)
    with (
        override_settings(COPHUB_SMS_CLIENT="africastalking", AT_USERNAME="", AT_API_KEY=""),
        pytest.raises(ImproperlyConfigured),
    ):
        sms_client()


def test_failed_send_is_logged_without_number_or_message(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Failing(RecordingSmsClient):
        def send(self, sms: OutboundSms) -> None:
            raise SmsSendError("status_403")

    monkeypatch.setattr("cophub.helplines.channels.outbound.sms_client", Failing)
    with caplog.at_level(logging.DEBUG):
        assert sms_send(SMS) is False
    assert "status_403" in caplog.text
    assert "254711" not in caplog.text and "Call 116" not in caplog.text
