"""Replaying gateway payloads: fixtures live beside each gateway's code
(``src/cophub/helplines/channels/<gateway>/fixtures``), as captured shapes."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from cophub.helplines.channels import outbound

GATEWAYS = Path(outbound.__file__).resolve().parent
MONDAY_NOON_NAIROBI = datetime(2026, 11, 30, 9, tzinfo=UTC)
CHILD_NUMBER = "+254711000000"
AT_TOKEN = "test-callback-token"


def at_url(path: str, token: str = AT_TOKEN) -> str:
    """An Africa's Talking callback URL as registered with the gateway: with ``?token=``."""
    return f"{path}?token={token}"


def payload(gateway: str, name: str, **changes: str) -> dict[str, str]:
    """A captured-shape payload of ``gateway`` (``africastalking``, ``twilio``), changed."""
    path = GATEWAYS / gateway / "fixtures" / f"{name}.json"
    return {**json.loads(path.read_text(encoding="utf-8")), **changes}


@pytest.fixture(autouse=True)
def fresh_channel_state() -> Iterator[None]:
    cache.clear()
    outbound.recording_client().clear()
    yield
    cache.clear()
    outbound.recording_client().clear()


@pytest.fixture(autouse=True)
def at_callback_token(settings: Any) -> str:
    """The Africa's Talking callbacks need their token, as in production."""
    settings.AT_CALLBACK_TOKEN = AT_TOKEN
    return AT_TOKEN


@pytest.fixture
def outbox() -> outbound.RecordingSmsClient:
    return outbound.recording_client()


@pytest.fixture
def monday_noon(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Monday 12:00 in Nairobi: Kenya's test SMS line is open until 20:00."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: MONDAY_NOON_NAIROBI)
    return MONDAY_NOON_NAIROBI
