"""USSD menus for a child on a feature phone without data, as a pure state machine.

The gateway sends the whole input history (Africa's Talking joins it with ``*``: ``""``, then
``"1"``, then ``"1*2"``), so a screen is a function of that history and the directory: nothing is
kept between requests. The flow is short, because a scared child may hang up:

1. the language, only when the country's helplines serve several languages the channels have
   texts for (Kenya: English, Kiswahili);
2. a menu: talk to someone now, something online (bullying, photos, strangers), or send the
   numbers by SMS;
3. an END screen showing what to dial — best open results first, national dial strings, free
   note, the emergency number — and, for option 3, the same lines to send by SMS. When the SMS
   cannot be sent (``UssdContext.sms_available`` is False: a sending limit was reached or the
   gateway refused), option 3 shows the same numbers and says that no SMS is coming.

A wrong key re-shows the current menu (never an error screen); ``0`` on the menu goes back to
the language choice. Any failure of the resolver ends with the best safe answer built from the
directory alone.

Screens must fit one USSD message: 160 octets, i.e. 182 GSM-7 characters (extension characters
count twice) or 80 UCS-2 characters (3GPP TS 23.038 / TS 24.090). Latin-script languages are
folded to plain GSM characters so they get the larger budget."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from .best import helpline_pairs, paired_order
from .channel_text import (
    CHANNEL_LANGUAGES,
    DEFAULT_LANGUAGE,
    FEATURE_PHONE_CHANNELS,
    ChannelMessages,
    Resolver,
    answer_pieces,
    channel_messages,
    channel_resolve,
    compose,
    country_name,
    menu_languages,
    safe_pieces,
)
from .model import Helpline
from .resolve import DEFAULT_STALE_AFTER, Query, Resolution, helpline_resolve
from .sms import gsm_fold_if_complete, sms_encoding, sms_reply_lines, sms_units

USSD_MAX_GSM7 = 182
USSD_MAX_UCS2 = 80
MAX_INPUTS = 20  # a longer history is not a child finding their way: end with the safe answer
ONLINE_TOPIC = "online_harm"
TALK, ONLINE, SEND_SMS, BACK = "1", "2", "3", "0"


class ScreenKind(StrEnum):
    CONTINUE = "CON"
    END = "END"


@dataclass(frozen=True)
class Screen:
    """One USSD screen. ``send_sms`` holds the lines to send by SMS to the caller (option 3),
    ``shows_answer`` says the screen shows helplines (for the anonymous reach count)."""

    kind: ScreenKind
    text: str
    send_sms: tuple[str, ...] | None = None
    language: str = DEFAULT_LANGUAGE
    shows_answer: bool = False

    def reply(self) -> str:
        """The gateway's reply body: ``CON …`` or ``END …``."""
        return f"{self.kind.value} {self.text}"


@dataclass(frozen=True)
class UssdContext:
    """What a screen depends on besides the input history. ``country`` is None when the
    caller's number gave none; ``helplines`` are the country's, as ``helpline_directory``
    returns them; ``languages`` are those with channel texts that may be offered;
    ``country_names`` maps a language to the country's name in it; ``sms_available`` is False
    when the SMS of option 3 will not be sent (the screen must not promise it)."""

    country: str | None
    helplines: tuple[Helpline, ...]
    at: datetime
    today: date
    topic_parents: Mapping[str, str | None] = field(default_factory=dict)
    languages: tuple[str, ...] = CHANNEL_LANGUAGES
    stale_after: timedelta = DEFAULT_STALE_AFTER
    country_names: Mapping[str, str] = field(default_factory=dict)
    sms_available: bool = True


def ussd_fits(text: str) -> bool:
    """Whether ``text`` fits one USSD screen in the encoding it will be sent in."""
    if sms_encoding(text) == "gsm7":
        return sms_units(text) <= USSD_MAX_GSM7
    return sms_units(text) <= USSD_MAX_UCS2


def _screen_text(text: str) -> str:
    """Folded to GSM-7 where the language allows; cut at a line end (or a character, as a last
    resort) so the screen never overflows."""
    text = gsm_fold_if_complete(text)
    while not ussd_fits(text):
        text = text.rsplit("\n", 1)[0] if "\n" in text else text[:-1]
    return text


def _end(
    text: str,
    language: str,
    *,
    send_sms: tuple[str, ...] | None = None,
    shows_answer: bool = False,
) -> Screen:
    return Screen(
        ScreenKind.END,
        _screen_text(text),
        send_sms=send_sms,
        language=language,
        shows_answer=shows_answer,
    )


def _language_screen(offered: tuple[str, ...]) -> Screen:
    options = "\n".join(
        f"{number} {channel_messages(code).text('language_name')}"
        for number, code in enumerate(offered, start=1)
    )
    heading = " / ".join(channel_messages(code).text("choose_language") for code in offered)
    text = f"{heading}\n{options}"
    if not ussd_fits(gsm_fold_if_complete(text)):
        text = options
    return Screen(ScreenKind.CONTINUE, _screen_text(text), language=offered[0])


def _menu_screen(language: str) -> Screen:
    return Screen(
        ScreenKind.CONTINUE,
        _screen_text(channel_messages(language).text("menu")),
        language=language,
    )


def unknown_country_screen(language: str = DEFAULT_LANGUAGE) -> Screen:
    """A plain statement when the caller's country cannot be told."""
    messages = channel_messages(language)
    text = f"{messages.text('unknown_country')}\n{messages.text('call_local_emergency')}"
    return _end(text, messages.language)


def ussd_safe_screen(context: UssdContext, language: str = DEFAULT_LANGUAGE) -> Screen:
    """The best safe answer from the directory alone (child helplines' numbers, emergency
    numbers), for when anything else failed."""
    if context.country is None:
        return unknown_country_screen(language)
    messages = channel_messages(language)
    lines = compose(safe_pieces(context.helplines, messages), _fits_screen)
    return _end("\n".join(lines), messages.language, shows_answer=True)


def _fits_screen(text: str) -> bool:
    return ussd_fits(gsm_fold_if_complete(text))


def _resolve(
    context: UssdContext, language: str, topic: str | None, resolver: Resolver
) -> tuple[Resolution, int]:
    """The resolution in one-answer order (``best.paired_order``: the best result and the
    helplines paired with it lead, both or neither) and how many results lead. When the pairs
    leave nothing, the plain ranking: a child on a feature phone still gets numbers."""
    query = Query(
        country=context.country or "",
        at=context.at,
        today=context.today,
        language=language,
        topic=topic,
        channels=FEATURE_PHONE_CHANNELS,
        stale_after=context.stale_after,
    )
    resolution = channel_resolve(context.helplines, query, context.topic_parents, resolver)
    ordered, leading = paired_order(resolution, helpline_pairs(context.helplines))
    if not leading:
        return resolution, 1
    return replace(resolution, results=ordered), leading


def _answer_lines(
    resolution: Resolution,
    messages: ChannelMessages,
    context: UssdContext,
    intro: str,
    fits: Callable[[str], bool],
    leading: int = 1,
) -> tuple[str, ...]:
    timezones = {helpline.id: helpline.timezone for helpline in context.helplines}
    pieces = answer_pieces(
        resolution,
        messages,
        intro=intro,
        timezones=timezones,
        at=context.at,
        limit=3,
        country_name=country_name(context.country_names, messages.language, resolution.country),
        leading=leading,
    )
    return compose(pieces, fits)


def _answer(choice: str, language: str, context: UssdContext, resolver: Resolver) -> Screen:
    messages = channel_messages(language)
    topic = ONLINE_TOPIC if choice == ONLINE else None
    resolution, leading = _resolve(context, language, topic, resolver)
    sends = choice == SEND_SMS and context.sms_available
    intro_key = {TALK: "talk_intro", ONLINE: "online_intro", SEND_SMS: "sms_sent"}[choice]
    if choice == SEND_SMS and not sends:
        intro_key = "sms_not_sent"
    intro = messages.text(intro_key)
    lines = _answer_lines(resolution, messages, context, intro, _fits_screen, leading)
    if not sends:
        return _end("\n".join(lines), language, shows_answer=True)
    timezones = {helpline.id: helpline.timezone for helpline in context.helplines}
    sms_lines = sms_reply_lines(resolution, messages, timezones=timezones, at=context.at)
    return _end("\n".join(lines), language, send_sms=sms_lines, shows_answer=True)


def _option(choice: str, count: int) -> int | None:
    return int(choice) if choice.isdigit() and 1 <= int(choice) <= count else None


def ussd_screen(
    history: str, context: UssdContext, resolver: Resolver = helpline_resolve
) -> Screen:
    """The screen that answers the input ``history`` (``"1*2"``).

    Invalid input re-shows the current menu; an unknown country ends with a plain statement;
    a failure of the resolver ends with :func:`ussd_safe_screen`."""
    if context.country is None:
        return unknown_country_screen()
    offered = menu_languages(context.helplines, context.languages)
    language = offered[0] if offered else DEFAULT_LANGUAGE
    inputs = history.split("*") if history else []
    if len(inputs) > MAX_INPUTS:
        return ussd_safe_screen(context, language)
    choosing = len(offered) > 1
    for raw in inputs:
        choice = raw.strip()
        if choosing:
            option = _option(choice, len(offered))
            if option is not None:
                language, choosing = offered[option - 1], False
        elif choice in (TALK, ONLINE, SEND_SMS):
            try:
                return _answer(choice, language, context, resolver)
            except Exception:  # noqa: BLE001 — a child must never see an error screen
                return ussd_safe_screen(context, language)
        elif choice == BACK and len(offered) > 1:
            choosing = True
    return _language_screen(offered) if choosing else _menu_screen(language)
