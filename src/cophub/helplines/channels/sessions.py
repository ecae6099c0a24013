"""Short-lived channel state and de-duplication, keyed by a salted hash.

A phone number, a gateway session id or a provider message id never becomes a cache key in
clear: the key is an HMAC-SHA256 of the purpose and the identifier, keyed with
``COPHUB_CHANNEL_SALT`` (or, when it is empty, a key derived from ``SECRET_KEY`` by Django's
``salted_hmac``). A secret salt matters because phone numbers are few enough to hash them all.
Every entry expires after ``STATE_TTL_SECONDS`` (10 minutes) and no entry holds a number or a
message body."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

STATE_TTL_SECONDS = 600
_KEY_SALT = "cophub.helplines.channels"
_PREFIX = "cophub:channels:"


def channel_key(purpose: str, identifier: str) -> str:
    """The cache key for ``identifier`` (a number, a session or message id) and ``purpose``."""
    digest = salted_hmac(
        _KEY_SALT,
        f"{purpose}\x00{identifier}",
        secret=settings.COPHUB_CHANNEL_SALT or None,
        algorithm="sha256",
    ).hexdigest()
    return f"{_PREFIX}{purpose}:{digest}"


def first_time(purpose: str, identifier: str) -> bool:
    """True the first time ``identifier`` is seen for ``purpose`` within the TTL (atomic: of two
    concurrent deliveries only one gets True). When the cache fails, True: answering twice is
    better than not answering a child."""
    try:
        return bool(cache.add(channel_key(purpose, identifier), True, STATE_TTL_SECONDS))
    except Exception as error:  # noqa: BLE001 — the cache is an optimisation here
        logger.warning("channel cache unavailable (%s)", type(error).__name__)
        return True


def delivery_first_seen(provider: str, message_id: str) -> bool:
    """Whether this is the first delivery of ``provider``'s message ``message_id``."""
    return first_time(f"seen:{provider}", message_id)


def session_state_get(purpose: str, identifier: str) -> dict[str, str]:
    """The state kept for ``identifier`` (empty when none or expired)."""
    try:
        state = cache.get(channel_key(purpose, identifier))
    except Exception as error:  # noqa: BLE001
        logger.warning("channel cache unavailable (%s)", type(error).__name__)
        return {}
    return dict(state) if isinstance(state, dict) else {}


def session_state_set(purpose: str, identifier: str, state: dict[str, str]) -> None:
    """Keep ``state`` (never a number or a message body) for ``STATE_TTL_SECONDS``."""
    try:
        cache.set(channel_key(purpose, identifier), state, STATE_TTL_SECONDS)
    except Exception as error:  # noqa: BLE001
        logger.warning("channel cache unavailable (%s)", type(error).__name__)
