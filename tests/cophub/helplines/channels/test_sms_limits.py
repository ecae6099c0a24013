"""Outbound SMS limits: per destination number per hour and per UTC day for the platform,
counted in the shared cache (local memory, and Redis when one answers) under salted hashes."""

import os
import pickle
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache, caches
from django.test import Client, override_settings

from cophub.helplines.channels.limits import SmsLimit, sms_destination, sms_limit_reached
from cophub.helplines.channels.outbound import RecordingSmsClient
from cophub.helplines.models import ReachCount

from .conftest import CHILD_NUMBER, MONDAY_NOON_NAIROBI, at_url, payload

pytestmark = pytest.mark.usefixtures("directory", "monday_noon")
SMS = at_url("/channels/sms/africastalking")
USSD = at_url("/channels/ussd/africastalking")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
NUMBER_PIECES = ("254711000000", "711000000", "0711000000", "254722000000", "722000000")


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 — no Redis: those cases are skipped
        return False


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request: pytest.FixtureRequest) -> Iterator[str]:
    """The default cache as local memory, or as Redis under a prefix of its own (deleted
    afterwards: the database may be shared with other runs, so it is never flushed)."""
    if request.param == "locmem":
        yield "locmem"
        return
    if not redis_answers():
        pytest.skip(f"no Redis at {REDIS_URL}")
    prefix = f"cophub-test-{uuid.uuid4().hex}"
    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": prefix,
    }
    with override_settings(CACHES={"default": backend}):
        try:
            yield "redis"
        finally:
            client = caches["default"]._cache.get_client(write=True)  # type: ignore[attr-defined]
            for key in client.scan_iter(f"{prefix}:*"):
                client.delete(key)


def cache_entries() -> list[tuple[str, Any]]:
    """Every entry of the default cache, whatever its backend: (key, value)."""
    backend = caches["default"]
    if hasattr(backend, "_cache") and isinstance(backend._cache, dict):
        return [(key, pickle.loads(value)) for key, value in backend._cache.items()]  # noqa: S301
    client = backend._cache.get_client()  # type: ignore[attr-defined]
    entries = []
    for key in client.scan_iter(f"{backend.key_prefix}:*"):
        raw = client.get(key)  # Django's Redis serializer keeps integers as they are
        value = int(raw) if raw.isdigit() else pickle.loads(raw)  # noqa: S301
        entries.append((key.decode(), value))
    return entries


def sms_from(client: Client, number: str, message_id: str) -> Any:
    fields = payload("africastalking", "sms_inbound", id=message_id, **{"from": number})
    response = client.post(SMS, fields)
    assert (response.status_code, response.content) == (200, b"")  # the gateway must not retry
    return response


def ussd_sms(client: Client, session: str, number: str = CHILD_NUMBER) -> list[str]:
    fields = payload("africastalking", "ussd_send_sms", sessionId=session, phoneNumber=number)
    fields["text"] = "1*3"  # English, then "send me the numbers by SMS"
    response = client.post(USSD, fields)
    assert response.status_code == 200
    kind, _space, text = response.content.decode().partition(" ")
    assert kind == "END"
    return text.split("\n")


def counted(event: ReachCount.Event, channel: str, country: str = "KE") -> int:
    rows = ReachCount.objects.filter(event=event, channel=channel, country=country)
    return sum(row.count for row in rows)


@pytest.mark.usefixtures("shared_cache")
def test_the_fourth_sms_to_a_number_within_the_hour_is_not_sent(
    client: Client, outbox: RecordingSmsClient
) -> None:
    for message in range(4):
        sms_from(client, CHILD_NUMBER, f"message-{message}")
    assert [sms.to for sms in outbox.outbox] == [CHILD_NUMBER] * 3
    assert counted(ReachCount.Event.ANSWER_SHOWN, "sms") == 3
    assert counted(ReachCount.Event.SMS_REFUSED, "sms") == 1
    sms_from(client, "+254722000000", "another-child")  # another number is not affected
    assert outbox.outbox[-1].to == "+254722000000"


def test_spellings_of_one_number_share_its_limit(
    client: Client, outbox: RecordingSmsClient
) -> None:
    for message, number in enumerate(["+254711000000", "254711000000", "+254 711 000 000"]):
        sms_from(client, number, f"spelling-{message}")
    sms_from(client, "+254-711-000-000", "spelling-4")
    assert len(outbox.outbox) == 3
    assert sms_destination("254 711 000000") == sms_destination("+254711000000") == CHILD_NUMBER


def test_the_number_limit_is_counted_over_an_hour(monkeypatch: pytest.MonkeyPatch) -> None:
    timeouts: dict[str, float | None] = {}
    add = cache.add

    def spy(key: str, value: object, timeout: float | None = None) -> bool:
        timeouts[key.split(":")[2]] = timeout
        return add(key, value, timeout)

    monkeypatch.setattr(cache, "add", spy)
    assert sms_limit_reached(CHILD_NUMBER, at=MONDAY_NOON_NAIROBI) is None
    assert timeouts["sms-hour"] == 3600
    assert timeouts["sms-day"] is not None and timeouts["sms-day"] >= 86400


@override_settings(COPHUB_SMS_PER_NUMBER_HOURLY_LIMIT=3)
def test_ussd_option_3_sends_three_sms_an_hour_then_says_none_is_coming(
    client: Client, outbox: RecordingSmsClient
) -> None:
    for session in range(3):
        assert ussd_sms(client, f"ATUid_limit_{session}")[0] == (
            "We are also sending these numbers by SMS."
        )
    refused = ussd_sms(client, "ATUid_limit_3")
    assert refused == [
        "Sorry, no SMS now. Note these numbers:",
        "Test Childline: call 116 (free, 24/7)",
        "SMS 21116 (free, open until 20:00)",
        "Test General Line: call 0800 720 000 (24/7)",
        "In danger now? Call 999",
    ]
    assert ussd_sms(client, "ATUid_limit_3") == refused  # the gateway retries the same step
    assert len(outbox.outbox) == 3
    assert counted(ReachCount.Event.SMS_REFUSED, "ussd") == 1
    assert counted(ReachCount.Event.ANSWER_SHOWN, "ussd") == 4


def test_ussd_and_sms_share_the_limit_of_a_number(
    client: Client, outbox: RecordingSmsClient
) -> None:
    ussd_sms(client, "ATUid_mixed_1")
    sms_from(client, CHILD_NUMBER, "mixed-1")
    ussd_sms(client, "ATUid_mixed_2")
    assert ussd_sms(client, "ATUid_mixed_3")[0] == "Sorry, no SMS now. Note these numbers:"
    sms_from(client, CHILD_NUMBER, "mixed-2")
    assert len(outbox.outbox) == 3
    assert counted(ReachCount.Event.SMS_REFUSED, "ussd") == 1
    assert counted(ReachCount.Event.SMS_REFUSED, "sms") == 1


@pytest.mark.usefixtures("shared_cache")
@override_settings(COPHUB_SMS_DAILY_LIMIT=2)
def test_the_daily_limit_holds_for_every_number_until_the_next_utc_day(
    client: Client, outbox: RecordingSmsClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    sms_from(client, "+254711000001", "day-1")
    ussd_sms(client, "ATUid_day_2", "+254711000002")
    assert ussd_sms(client, "ATUid_day_3", "+254711000003")[0].startswith("Sorry, no SMS now")
    sms_from(client, "+254711000004", "day-4")
    assert len(outbox.outbox) == 2
    assert counted(ReachCount.Event.SMS_REFUSED, "ussd") == 1
    assert counted(ReachCount.Event.SMS_REFUSED, "sms") == 1
    tomorrow = MONDAY_NOON_NAIROBI + timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: tomorrow)
    sms_from(client, "+254711000004", "day-5")
    assert len(outbox.outbox) == 3


def test_a_refused_sms_to_a_number_of_no_country_is_counted_as_unknown(
    client: Client, outbox: RecordingSmsClient
) -> None:
    for message in range(4):
        sms_from(client, "+999123", f"unknown-{message}")
    assert len(outbox.outbox) == 3
    assert counted(ReachCount.Event.SMS_REFUSED, "sms", country="ZZ") == 1


@pytest.mark.usefixtures("shared_cache")
def test_the_counters_hold_no_digit_of_any_number(
    client: Client, outbox: RecordingSmsClient
) -> None:
    for message in range(4):
        sms_from(client, CHILD_NUMBER, f"digits-{message}")
    ussd_sms(client, "ATUid_digits", "+254722000000")
    entries = cache_entries()
    counters = [(key, value) for key, value in entries if ":sms-hour:" in key]
    assert sorted(value for _key, value in counters) == [1, 4]
    assert [value for key, value in entries if ":sms-day:" in key] == [4]
    for key, value in entries:
        assert not any(piece in f"{key} {value!r}" for piece in NUMBER_PIECES), key


@pytest.mark.usefixtures("shared_cache")
@override_settings(COPHUB_SMS_PER_NUMBER_HOURLY_LIMIT=3, COPHUB_SMS_DAILY_LIMIT=5)
def test_concurrent_senders_never_pass_a_limit_together() -> None:
    start = threading.Barrier(12)
    results: list[SmsLimit | None] = []

    def send(number: str) -> None:
        start.wait()
        results.append(sms_limit_reached(number, at=MONDAY_NOON_NAIROBI))

    threads = [threading.Thread(target=send, args=(CHILD_NUMBER,)) for _ in range(8)]
    threads += [threading.Thread(target=send, args=(f"+25472200000{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Eight SMS to one number: five over its limit. The seven others reach the day's count:
    # five of them are sent, two are over the day's limit.
    assert results.count(SmsLimit.PER_NUMBER) == 5
    assert results.count(None) == 5
    assert results.count(SmsLimit.DAILY) == 2


def test_a_failing_cache_refuses_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def down(*args: object, **kwargs: object) -> None:
        raise ConnectionError

    monkeypatch.setattr(cache, "add", down)
    assert sms_limit_reached(CHILD_NUMBER, at=MONDAY_NOON_NAIROBI) is None
