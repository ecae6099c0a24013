import pytest
from django.core.cache import cache

from cophub.helplines.channels import sessions
from cophub.helplines.channels.sessions import (
    STATE_TTL_SECONDS,
    delivery_first_seen,
    first_time,
    session_state_get,
    session_state_set,
)


def test_state_expires_within_ten_minutes(monkeypatch: pytest.MonkeyPatch) -> None:
    timeouts: list[float | None] = []
    add, set_ = cache.add, cache.set

    def spy_add(key: str, value: object, timeout: float | None = None) -> bool:
        timeouts.append(timeout)
        return add(key, value, timeout)

    def spy_set(key: str, value: object, timeout: float | None = None) -> None:
        timeouts.append(timeout)
        set_(key, value, timeout)

    monkeypatch.setattr(cache, "add", spy_add)
    monkeypatch.setattr(cache, "set", spy_set)
    first_time("ussd-sms", "ATUid_1")
    session_state_set("sms", "+254711000000", {"country": "KE", "language": "sw"})
    assert timeouts and all(t is not None and 0 < t <= 600 for t in timeouts)
    assert STATE_TTL_SECONDS <= 600


def test_first_time_is_true_once() -> None:
    assert delivery_first_seen("twilio", "SM1") is True
    assert delivery_first_seen("twilio", "SM1") is False
    assert delivery_first_seen("africastalking", "SM1") is True  # providers do not collide


def test_state_round_trip_and_absence() -> None:
    assert session_state_get("sms", "+254711000000") == {}
    session_state_set("sms", "+254711000000", {"country": "FR", "language": "fr"})
    assert session_state_get("sms", "+254711000000") == {"country": "FR", "language": "fr"}
    assert session_state_get("sms", "+254722000000") == {}


def test_a_failing_cache_never_stops_an_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    class Down:
        def add(self, *args: object) -> bool:
            raise ConnectionError

        get = set = add

    monkeypatch.setattr(sessions, "cache", Down())
    assert first_time("seen:twilio", "SM1") is True
    assert session_state_get("sms", "+254711000000") == {}
    session_state_set("sms", "+254711000000", {"country": "KE"})
