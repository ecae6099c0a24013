"""Limits on the SMS the platform pays for, so that nobody can make it spam a number or run up
its bill ("SMS pumping").

Before the platform sends an SMS through its own client (the Africa's Talking reply, the SMS of
USSD option 3) it takes one unit of two quotas, counted in the shared cache (Redis when
``REDIS_URL`` is set, so every process and server sees the same counts):

- per destination number: ``COPHUB_SMS_PER_NUMBER_HOURLY_LIMIT`` (3) within an hour of the
  number's first SMS; the number is written in E.164 first, so ``254…`` and ``+254 7…`` are one;
- for the whole platform: ``COPHUB_SMS_DAILY_LIMIT`` (1000) per UTC day.

Counters are keyed by ``sessions.channel_key`` (a salted HMAC: never a number) and hold only an
integer. ``cache.add`` then ``cache.incr`` are atomic on Redis and in local memory, so two
processes cannot both take the last unit. A refused SMS is counted anonymously (``ReachCount``,
event ``sms_refused``). If the cache is down the SMS is sent: a child's answer matters more than
the cap, and the callbacks themselves need the gateway's token (see
``docs/decisions/0014-sms-abuse-limits.md``)."""

import logging
from datetime import UTC, datetime
from enum import StrEnum

import phonenumbers
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from ..models import ReachCount
from ..services import reach_count
from .sessions import channel_key

logger = logging.getLogger(__name__)

HOUR_SECONDS = 3600
DAY_COUNTER_SECONDS = 2 * 86400  # outlives its UTC day whatever the hour it was created
UNKNOWN_COUNTRY = "ZZ"  # CLDR's "unknown region", for refused SMS to a number of no country


class SmsLimit(StrEnum):
    """The limit that refused an SMS."""

    PER_NUMBER = "per_number"
    DAILY = "daily"


def sms_destination(number: str) -> str:
    """The number in E.164 when it parses (a missing ``+`` is added), else its digits: the
    spellings of one phone share one counter."""
    text = number.strip()
    digits = "".join(character for character in text if character.isdigit())
    try:
        parsed = phonenumbers.parse(text if text.startswith("+") else f"+{digits}", None)
    except phonenumbers.NumberParseException:
        return digits
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def _counter_add(key: str, timeout: int) -> int:
    """Add one to the counter ``key`` (created with ``timeout``); the new value."""
    for _attempt in range(3):
        if cache.add(key, 1, timeout):
            return 1
        try:
            return int(cache.incr(key))
        except ValueError:  # it expired between add and incr: create it again
            continue
    raise RuntimeError("counter keeps expiring")


def sms_limit_reached(to: str, *, at: datetime) -> SmsLimit | None:
    """Take one SMS to ``to`` from the quotas; the limit that refuses it, or None to send.

    A refused SMS to a number still counts against that number's hour (the counter counts
    attempts) but not against the day. A failing cache refuses nothing (logged by type)."""
    try:
        sent_to_number = _counter_add(channel_key("sms-hour", sms_destination(to)), HOUR_SECONDS)
        if sent_to_number > settings.COPHUB_SMS_PER_NUMBER_HOURLY_LIMIT:
            return SmsLimit.PER_NUMBER
        day = at.astimezone(UTC).date().isoformat()
        sent_today = _counter_add(channel_key("sms-day", day), DAY_COUNTER_SECONDS)
        if sent_today > settings.COPHUB_SMS_DAILY_LIMIT:
            return SmsLimit.DAILY
    except Exception as error:  # noqa: BLE001 — the limits must not keep an answer from a child
        logger.warning("SMS limits unavailable (%s): sending", type(error).__name__)
    return None


def sms_quota_take(to: str, *, country: str | None, channel: str, at: datetime) -> bool:
    """Whether an SMS to ``to`` may be sent now (and it is counted); when it may not, the
    refusal is counted anonymously for ``country`` and ``channel`` and logged without the
    number."""
    limit = sms_limit_reached(to, at=at)
    if limit is None:
        return True
    log = logger.warning if limit is SmsLimit.DAILY else logger.info
    log("SMS not sent: the %s limit is reached", limit.value)
    reach_count(
        day=timezone.localdate(at),
        country=country or UNKNOWN_COUNTRY,
        channel=channel,
        event=ReachCount.Event.SMS_REFUSED,
    )
    return False
