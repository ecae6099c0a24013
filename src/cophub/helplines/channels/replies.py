"""Answering a USSD step or an inbound SMS, whatever the gateway: from a neutral request to the
screen or the reply text, through the directory and the pure menus and texts of
``copcore.helplines``.

The caller's number serves to find the country (``phonenumbers``) and to send the SMS the child
asked for; it is not stored or logged. Neither function raises: on any failure the child gets
the best safe answer — the country's child helpline numbers and emergency numbers, from the
directory or, if the database is unreachable, from the last copy of the country's (public)
directory kept in the cache."""

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

import phonenumbers
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from copcore.helplines.channel_text import (
    DEFAULT_LANGUAGE,
    FEATURE_PHONE_CHANNELS,
    Resolver,
    channel_messages,
    channel_resolve,
    country_name,
    menu_languages,
)
from copcore.helplines.model import Helpline
from copcore.helplines.prepared import ANSWER_BOUND, AnswerBound, prepared_resolve
from copcore.helplines.resolve import Query, Resolution
from copcore.helplines.sms import (
    sms_fits_one,
    sms_reply,
    sms_request_parse,
    sms_safe_reply,
    sms_unknown_country_reply,
)
from copcore.helplines.ussd import Screen, UssdContext, ussd_safe_screen, ussd_screen

from ..freshness import stale_after
from ..models import ReachCount
from ..resolving import prepared_directory
from ..selectors import (
    country_codes,
    country_names,
    directory_cache_cleared,
    helpline_directory,
    topic_parents,
)
from ..services import reach_count
from .limits import sms_quota_take
from .outbound import OutboundSms, sms_send
from .sessions import first_time, session_state_get, session_state_set

logger = logging.getLogger(__name__)

DIRECTORY_COPY_SECONDS = 600
DIRECTORY_COPY_REFRESH = 60.0
_copied_at: dict[str, float] = {}
directory_cache_cleared.connect(
    lambda **_kwargs: _copied_at.clear(), weak=False, dispatch_uid="channels-directory-copy"
)
WHATSAPP_BODY_LIMIT = 1600  # Twilio's limit for one message body


@dataclass(frozen=True)
class UssdRequest:
    """One USSD step. ``history`` is every input so far joined with ``*``."""

    session_id: str = field(repr=False)
    phone_number: str = field(repr=False)
    history: str = field(repr=False)
    service_code: str = ""
    network_code: str = ""


@dataclass(frozen=True)
class InboundSms:
    """An inbound message; ``channel`` is ``sms`` or ``whatsapp``. Personal fields are kept out
    of ``repr``."""

    provider: str
    message_id: str = field(repr=False)
    sender: str = field(repr=False)
    body: str = field(repr=False)
    recipient: str = field(default="", repr=False)
    channel: str = "sms"
    link_id: str | None = field(default=None, repr=False)


def country_from_phone(number: str) -> str | None:
    """The ISO country of an E.164 number (``+254…`` → ``KE``), or None. A number sent
    without its ``+`` (``254…``) is read as international too."""
    digits = number.strip()
    if digits and not digits.startswith("+"):
        digits = "+" + digits
    try:
        parsed = phonenumbers.parse(digits, None)
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(parsed)
    if not region or region == "001" or not phonenumbers.is_possible_number(parsed):
        return None
    return str(region)


def _country_names(country: str) -> dict[str, str]:
    return country_names(country)


def _directory(country: str) -> tuple[Helpline, ...]:
    """The country's helplines; on a database failure the last copy (public data only)."""
    key = f"cophub:channels:directory:{country}"
    try:
        helplines = tuple(helpline_directory(country=country))
    except Exception as error:  # noqa: BLE001
        logger.error("helpline directory unavailable (%s)", type(error).__name__)
        copy = cache.get(key)
        return tuple(copy) if copy else ()
    now = time.monotonic()
    if now - _copied_at.get(country, -DIRECTORY_COPY_REFRESH) >= DIRECTORY_COPY_REFRESH:
        # Refreshed now and then, not on every answer: pickling the directory into the cache
        # cost more than the rest of a USSD step.
        try:
            cache.set(key, helplines, DIRECTORY_COPY_SECONDS)
            _copied_at[country] = now
        except Exception as error:  # noqa: BLE001
            logger.warning("channel cache unavailable (%s)", type(error).__name__)
    return helplines


def _count_answer(country: str, channel: str, at: datetime) -> None:
    """One anonymous "answer shown" (``reach_count`` never raises)."""
    reach_count(
        day=timezone.localdate(at),
        country=country,
        channel=channel,
        event=ReachCount.Event.ANSWER_SHOWN,
    )


def _default_language(helplines: tuple[Helpline, ...]) -> str:
    """The first language of the country's helplines that the channels speak, else English."""
    return (menu_languages(helplines) or (DEFAULT_LANGUAGE,))[0]


# --- USSD -----------------------------------------------------------------------------------


def _ussd_context(country: str, at: datetime) -> UssdContext:
    return UssdContext(
        country=country,
        helplines=_directory(country),
        at=at,
        today=timezone.localdate(at),
        topic_parents=topic_parents(),
        stale_after=stale_after(),
        country_names=_country_names(country),
    )


def _ussd_fallback(country: str, at: datetime) -> Screen:
    try:
        helplines = _directory(country)
    except Exception:  # noqa: BLE001
        helplines = ()
    context = UssdContext(country=country, helplines=helplines, at=at, today=at.date())
    return ussd_safe_screen(context, _default_language(helplines))


def _prepared_resolver(country: str, at: datetime, bound: AnswerBound | None) -> Resolver:
    """The resolver of the channels: the country's answer prepared for the hour, as the API
    and the finder pages use it (decision 0040)."""
    prepared = prepared_directory(country, at)

    def resolve(
        _helplines: Iterable[Helpline], query: Query, parents: Mapping[str, str | None] | None
    ) -> Resolution:
        return prepared_resolve(prepared, query, parents, bound)

    return resolve


def _ussd_step(request: UssdRequest, country: str, at: datetime, *, sms_available: bool) -> Screen:
    try:
        context = replace(_ussd_context(country, at), sms_available=sms_available)
        # Like one-answer mode, USSD puts the best result and its pairs first, so it ranks
        # every result; its screen shows at most three of them, well within the bound.
        resolver = _prepared_resolver(country, at, None)
        return (
            ussd_screen(request.history, context, resolver)
            if request.session_id
            else ussd_safe_screen(context, _default_language(context.helplines))
        )
    except Exception as error:  # noqa: BLE001 — a child must never see an error screen
        logger.error("USSD answer failed (%s)", type(error).__name__)
        return _ussd_fallback(country, at)


def _ussd_sms_sent(request: UssdRequest, screen: Screen, country: str, at: datetime) -> bool:
    """Send the SMS of option 3 once per session, within the limits; whether it went (or is
    going) out. The session's entry holds no number: first a marker, then the outcome, so a
    retried step shows what happened the first time."""
    outcome = session_state_get("ussd-sms", request.session_id).get("outcome")
    if outcome:
        return outcome == "sent"
    if not first_time("ussd-sms", request.session_id):
        return True  # a concurrent delivery of this step is sending it
    sent = sms_quota_take(request.phone_number, country=country, channel="ussd", at=at) and (
        sms_send(
            OutboundSms(
                to=request.phone_number,
                message="\n".join(screen.send_sms or ()),
                sender=settings.AT_SMS_SENDER or None,
            )
        )
    )
    session_state_set("ussd-sms", request.session_id, {"outcome": "sent" if sent else "not_sent"})
    return sent


def ussd_answer(request: UssdRequest, *, at: datetime) -> Screen:
    """The screen for one USSD step, with its side effects: the anonymous reach count (once
    per session) and the SMS the child asked for (once per session, to the caller's number,
    within the limits of ``limits``). When that SMS is not sent, the screen says so and still
    shows the numbers."""
    country = country_from_phone(request.phone_number)
    if country is None:
        return ussd_screen(request.history, UssdContext(None, (), at, at.date()))
    screen = _ussd_step(request, country, at, sms_available=True)
    session = request.session_id or "no-session"
    if screen.shows_answer and first_time("ussd-answer", session):
        _count_answer(country, "ussd", at)
    if screen.send_sms and not _ussd_sms_sent(request, screen, country, at):
        screen = _ussd_step(request, country, at, sms_available=False)
    return screen


# --- SMS ------------------------------------------------------------------------------------


def _fits_whatsapp(text: str) -> bool:
    return len(text) <= WHATSAPP_BODY_LIMIT


def _reply_language(
    asked: str | None, remembered: str | None, helplines: tuple[Helpline, ...]
) -> str:
    return asked or remembered or _default_language(helplines)


def _sms_answer(inbound: InboundSms, at: datetime) -> str:
    sender_country = country_from_phone(inbound.sender)
    remembered = session_state_get("sms", inbound.sender)
    asked = sms_request_parse(inbound.body, sender_country_known=sender_country is not None)
    requested = asked.country if asked.country and asked.country in country_codes() else None
    country = requested or remembered.get("country") or sender_country
    if country is None:
        return sms_unknown_country_reply(channel_messages(asked.language or DEFAULT_LANGUAGE))
    helplines = _directory(country)
    language = _reply_language(asked.language, remembered.get("language"), helplines)
    messages = channel_messages(language)
    whatsapp = inbound.channel == "whatsapp"
    query = Query(
        country=country,
        at=at,
        today=timezone.localdate(at),
        language=messages.language,
        channels=None if whatsapp else FEATURE_PHONE_CHANNELS,
        stale_after=stale_after(),
    )
    resolution = channel_resolve(
        helplines, query, topic_parents(), _prepared_resolver(country, at, ANSWER_BOUND)
    )
    reply = sms_reply(
        resolution,
        messages,
        timezones={helpline.id: helpline.timezone for helpline in helplines},
        at=at,
        max_results=5 if whatsapp else 4,
        fits=_fits_whatsapp if whatsapp else sms_fits_one,
        country_name=country_name(_country_names(country), messages.language, country),
    )
    session_state_set("sms", inbound.sender, {"country": country, "language": messages.language})
    _count_answer(country, inbound.channel, at)
    return reply


def _sms_fallback(inbound: InboundSms) -> str:
    country = country_from_phone(inbound.sender)
    try:
        helplines = _directory(country) if country else ()
    except Exception:  # noqa: BLE001
        helplines = ()
    messages = channel_messages(_default_language(helplines))
    if not helplines:
        return sms_unknown_country_reply(messages)
    return sms_safe_reply(helplines, messages)


def sms_answer(inbound: InboundSms, *, at: datetime) -> str:
    """The reply to an inbound message: the helplines of the country asked for (``HELP KE``),
    else of the one remembered for this sender in the last 10 minutes, else of the sender's
    number; in the keyword's language, else the remembered one, else the helplines' own."""
    try:
        return _sms_answer(inbound, at)
    except Exception as error:  # noqa: BLE001 — a child always gets an answer
        logger.error("SMS answer failed (%s)", type(error).__name__)
        return _sms_fallback(inbound)
