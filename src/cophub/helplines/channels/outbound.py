"""Sending SMS: a recording client for tests and demo, and Africa's Talking's messaging API.

``COPHUB_SMS_CLIENT`` picks the client: ``recording`` keeps the last messages in memory (tests
read them; nothing reaches a network or a disk) and ``africastalking`` posts to the API
(``AT_USERNAME``, ``AT_API_KEY``, optional ``AT_SMS_SENDER``). The network client runs in a
small thread pool so the gateway's webhook gets its 200 at once. Failures are logged by type
and status only: never the number, never the message."""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

AT_LIVE_ENDPOINT = "https://api.africastalking.com/version1/messaging"
AT_SANDBOX_ENDPOINT = "https://api.sandbox.africastalking.com/version1/messaging"
# Africa's Talking recipient status codes that mean the message was accepted.
AT_ACCEPTED = frozenset({100, 101, 102})


@dataclass(frozen=True)
class OutboundSms:
    """An SMS to send. ``to`` and ``message`` are kept out of ``repr`` so that no log line or
    traceback can carry them."""

    to: str = field(repr=False)
    message: str = field(repr=False)
    sender: str | None = None
    link_id: str | None = field(default=None, repr=False)


class SmsSendError(Exception):
    """The provider refused or could not be reached; ``code`` is its status (no number)."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


class SmsClient(Protocol):
    background: bool

    def send(self, sms: OutboundSms) -> None: ...


class RecordingSmsClient:
    """Keeps the last messages in memory instead of sending them (tests and demo only)."""

    background = False

    def __init__(self, keep: int = 100) -> None:
        self.outbox: deque[OutboundSms] = deque(maxlen=keep)

    def send(self, sms: OutboundSms) -> None:
        self.outbox.append(sms)

    def clear(self) -> None:
        self.outbox.clear()


Opener = Callable[..., Any]


class AfricasTalkingSmsClient:
    """``POST /version1/messaging`` (form-encoded ``username``, ``to``, ``message``, optional
    ``from`` and ``linkId``; header ``apikey``). The ``sandbox`` username uses the sandbox."""

    background = True

    def __init__(
        self,
        username: str,
        api_key: str,
        *,
        opener: Opener = urllib.request.urlopen,
        timeout: float = 10.0,
    ) -> None:
        self.username = username
        self.api_key = api_key
        self.endpoint = AT_SANDBOX_ENDPOINT if username == "sandbox" else AT_LIVE_ENDPOINT
        self.opener = opener
        self.timeout = timeout

    def request(self, sms: OutboundSms) -> urllib.request.Request:
        fields = {"username": self.username, "to": sms.to, "message": sms.message}
        if sms.sender:
            fields["from"] = sms.sender
        if sms.link_id:
            fields["linkId"] = sms.link_id
        return urllib.request.Request(  # noqa: S310 — a constant https endpoint
            self.endpoint,
            data=urllib.parse.urlencode(fields).encode(),
            method="POST",
            headers={
                "apikey": self.api_key,
                "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )

    def send(self, sms: OutboundSms) -> None:
        try:
            with self.opener(self.request(sms), timeout=self.timeout) as response:
                body = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            raise SmsSendError(f"http_{error.code}") from None
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            raise SmsSendError(type(error).__name__) from None
        recipients = body.get("SMSMessageData", {}).get("Recipients", [])
        codes = [recipient.get("statusCode") for recipient in recipients]
        if not codes or any(code not in AT_ACCEPTED for code in codes):
            raise SmsSendError(f"status_{codes[0] if codes else 'none'}")


_RECORDING = RecordingSmsClient()
_EXECUTOR = ThreadPoolExecutor(max_workers=2, thread_name_prefix="cophub-sms")


def recording_client() -> RecordingSmsClient:
    """The process's recording client (what tests and the demo read)."""
    return _RECORDING


def sms_client() -> SmsClient:
    """The client ``COPHUB_SMS_CLIENT`` names."""
    name = settings.COPHUB_SMS_CLIENT
    if name == "recording":
        return _RECORDING
    if name == "africastalking":
        if not (settings.AT_USERNAME and settings.AT_API_KEY):
            raise ImproperlyConfigured("AT_USERNAME and AT_API_KEY are needed to send SMS.")
        return AfricasTalkingSmsClient(settings.AT_USERNAME, settings.AT_API_KEY)
    raise ImproperlyConfigured(f"Unknown COPHUB_SMS_CLIENT {name!r}.")


def _send_logged(client: SmsClient, sms: OutboundSms) -> bool:
    try:
        client.send(sms)
    except SmsSendError as error:
        logger.warning("SMS not sent (%s)", error.code)
        return False
    except Exception as error:  # noqa: BLE001 — a failed send must not break the answer
        logger.error("SMS not sent (%s)", type(error).__name__)
        return False
    return True


def sms_send(sms: OutboundSms) -> bool:
    """Send ``sms`` with the configured client: at once for the recording client, in the
    background for a network client (True then means "queued")."""
    try:
        client = sms_client()
    except ImproperlyConfigured as error:
        logger.error("SMS not sent: %s", error)
        return False
    if client.background:
        _EXECUTOR.submit(_send_logged, client, sms)
        return True
    return _send_logged(client, sms)
