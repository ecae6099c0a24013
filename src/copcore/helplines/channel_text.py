"""The words of the SMS and USSD channels, kept as data (``messages/<language>.json``) because
``copcore`` cannot use Django's gettext, and the greedy composer that fits answers to a screen or
an SMS.

Languages are the six of ITU plus Swahili, for East Africa's child helplines. Each file holds the
same keys with the same ``{placeholders}`` (a test checks it); ``weekdays`` (Monday first),
``keywords`` (what a child texts, e.g. ``HELP``) and ``ambiguous_codes`` (two-letter words of the
language that are also country codes, e.g. ``ME``) are lists.

An answer is a set of :class:`Piece` s — the intro, each result, the emergency numbers — each
with variants from long to short. :func:`compose` takes pieces in priority order and keeps, for
each, the longest variant that still fits; what does not fit is dropped, so the best results
and the emergency number survive on the smallest screen."""

import json
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from .model import Channel, Helpline, Kind
from .resolve import Query, Resolution, Result, helpline_resolve

CHANNEL_LANGUAGES: tuple[str, ...] = ("ar", "zh-hans", "en", "fr", "ru", "es", "sw")
DEFAULT_LANGUAGE = "en"
MESSAGES_DIR = Path(__file__).resolve().parent / "messages"
TEXT_KEYS: tuple[str, ...] = (
    "language_name",
    "choose_language",
    "menu",
    "talk_intro",
    "online_intro",
    "sms_intro",
    "sms_sent",
    "sms_not_sent",
    "named",
    "with_notes",
    "note_separator",
    "call",
    "text",
    "dial",
    "whatsapp",
    "chat",
    "free",
    "always_open",
    "open_until",
    "opens_at",
    "closed",
    "weekday_time",
    "emergency",
    "or",
    "no_helpline",
    "unknown_country",
    "keyword_hint",
    "call_local_emergency",
)
LIST_KEYS: tuple[str, ...] = ("weekdays", "keywords", "ambiguous_codes")
_ACTION_KEY = {
    Channel.VOICE: "call",
    Channel.SMS: "text",
    Channel.USSD: "dial",
    Channel.WHATSAPP: "whatsapp",
}
FEATURE_PHONE_CHANNELS = frozenset({Channel.VOICE, Channel.SMS, Channel.USSD})
_LANGUAGE_ALIASES = {"zh": "zh-hans", "zh-cn": "zh-hans", "zh-sg": "zh-hans", "swa": "sw"}


@dataclass(frozen=True)
class ChannelMessages:
    """One language's texts for the channels."""

    language: str
    texts: Mapping[str, str]
    weekdays: tuple[str, ...]
    keywords: tuple[str, ...]
    ambiguous_codes: frozenset[str]

    def text(self, key: str, **params: str) -> str:
        """The text ``key`` with its named ``{placeholders}`` filled in."""
        return self.texts[key].format(**params)


class MessagesError(ValueError):
    """A messages file is missing a key or has a wrong value; ``code`` says which."""

    def __init__(self, language: str, code: str, key: str) -> None:
        self.language, self.code, self.key = language, code, key
        super().__init__(f"messages/{language}.json: {code} {key}")


def channel_language(code: str | None) -> str | None:
    """The channel language for a language tag (``zh-Hans`` → ``zh-hans``, ``sw-KE`` → ``sw``),
    or None when the channels have no texts for it."""
    if not code:
        return None
    tag = code.strip().lower().replace("_", "-")
    tag = _LANGUAGE_ALIASES.get(tag, tag)
    if tag in CHANNEL_LANGUAGES:
        return tag
    base = _LANGUAGE_ALIASES.get(tag.split("-")[0], tag.split("-")[0])
    return base if base in CHANNEL_LANGUAGES else None


@cache
def channel_messages(language: str) -> ChannelMessages:
    """The texts of ``language`` (English when the channels have none for it)."""
    code = channel_language(language) or DEFAULT_LANGUAGE
    raw = json.loads((MESSAGES_DIR / f"{code}.json").read_text(encoding="utf-8"))
    for key in TEXT_KEYS:
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise MessagesError(code, "missing_text", key)
    for key in LIST_KEYS:
        if not isinstance(raw.get(key), list):
            raise MessagesError(code, "missing_list", key)
    if len(raw["weekdays"]) != 7:
        raise MessagesError(code, "seven_weekdays_expected", "weekdays")
    return ChannelMessages(
        language=code,
        texts={key: raw[key] for key in TEXT_KEYS},
        weekdays=tuple(raw["weekdays"]),
        keywords=tuple(raw["keywords"]),
        ambiguous_codes=frozenset(code.upper() for code in raw["ambiguous_codes"]),
    )


def keyword_normal(token: str) -> str:
    """Case and accents removed, so ``Ayúda`` matches ``AYUDA`` and ``أ`` matches ``ا``."""
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()


@cache
def keyword_languages() -> dict[str, str]:
    """Every keyword (normalised) and the language it picks."""
    return {
        keyword_normal(keyword): language
        for language in CHANNEL_LANGUAGES
        for keyword in channel_messages(language).keywords
    }


def menu_languages(
    helplines: Iterable[Helpline], available: Sequence[str] = CHANNEL_LANGUAGES
) -> tuple[str, ...]:
    """The languages to offer: those the country's helplines serve (child helplines first, in
    directory order; emergency services' only when there is nothing else) for which the
    channels have texts among ``available``."""
    rank = {Kind.CHILD_HELPLINE: 0, Kind.EMERGENCY: 2}
    lines = sorted(helplines, key=lambda h: rank.get(h.kind, 1))
    if any(h.kind is not Kind.EMERGENCY for h in lines):
        lines = [h for h in lines if h.kind is not Kind.EMERGENCY]
    offered: list[str] = []
    for helpline in lines:
        for tag in helpline.languages:
            code = channel_language(tag)
            if code and code in available and code not in offered:
                offered.append(code)
    return tuple(offered)


Resolver = Callable[[Iterable[Helpline], Query, Mapping[str, str | None] | None], Resolution]


def channel_resolve(
    helplines: Sequence[Helpline],
    query: Query,
    topic_parents: Mapping[str, str | None] | None = None,
    resolver: Resolver = helpline_resolve,
) -> Resolution:
    """Resolve for a channel: when nothing is reachable with ``query.channels`` (a helpline
    with only a web chat, asked from a feature phone), show what there is rather than nothing."""
    resolution = resolver(helplines, query, topic_parents)
    if query.channels is not None and not resolution.results and not resolution.no_helpline_known:
        resolution = resolver(helplines, replace(query, channels=None), topic_parents)
    return resolution


def country_name(names: Mapping[str, str], language: str, country: str) -> str:
    """The country's name in ``language``, else English, else its code."""
    return names.get(language) or names.get(DEFAULT_LANGUAGE) or country


# --- Composing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """One line of an answer at ``position`` (display order), with variants from long to short.
    A ``required`` piece is kept (in its shortest variant) even when nothing fits."""

    position: int
    variants: tuple[str, ...]
    required: bool = False


def compose(pieces: Sequence[Piece], fits: Callable[[str], bool]) -> tuple[str, ...]:
    """Lines chosen greedily. First every required piece is reserved in its shortest variant
    (so the best result and the emergency number survive on the smallest screen); then, in
    priority order, each piece takes its longest variant for which the lines, joined by
    newlines, still ``fits`` — a piece that fits in no variant is left out."""

    def joined(lines: dict[int, str]) -> str:
        return "\n".join(lines[p] for p in sorted(lines))

    chosen = {piece.position: piece.variants[-1] for piece in pieces if piece.required}
    for piece in pieces:
        for variant in piece.variants:
            trial = {**chosen, piece.position: variant}
            if fits(joined(trial)):
                chosen = trial
                break
    return tuple(chosen[p] for p in sorted(chosen))


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _local_time(instant: datetime, zone: str, at: datetime, messages: ChannelMessages) -> str:
    """``08:00`` today in the helpline's zone, else ``Mon 08:00``."""
    tz = ZoneInfo(zone)
    local = instant.astimezone(tz)
    clock = local.strftime("%H:%M")
    if local.date() == at.astimezone(tz).date():
        return clock
    return messages.text("weekday_time", weekday=messages.weekdays[local.weekday()], time=clock)


def _state_note(result: Result, zone: str, at: datetime, messages: ChannelMessages) -> str | None:
    if result.open_now is None:
        return None
    if result.open_now:
        if result.closes_at is None:
            return messages.text("always_open")
        return messages.text("open_until", time=_local_time(result.closes_at, zone, at, messages))
    if result.opens_at is None:
        return messages.text("closed")
    return messages.text("opens_at", time=_local_time(result.opens_at, zone, at, messages))


def result_variants(
    result: Result,
    messages: ChannelMessages,
    *,
    zone: str,
    at: datetime,
    named: bool = True,
) -> tuple[str, ...]:
    """``Childline: call 116 (free, 24/7)`` down to ``Call 116``. A closed contact always
    keeps its "opens at" note: a child must not be sent to a line that will not answer."""
    action = messages.text(_ACTION_KEY.get(result.channel, "chat"), number=result.display)
    notes = [messages.text("free")] if result.free else []
    state = _state_note(result, zone, at, messages)
    notes += [state] if state else []
    noted = (
        messages.text(
            "with_notes", action=action, notes=messages.text("note_separator").join(notes)
        )
        if notes
        else action
    )
    variants = [messages.text("named", name=result.name, action=noted)] if named else []
    variants.append(_capitalised(noted))
    if result.open_now is not False:
        if named:
            variants.append(messages.text("named", name=result.name, action=action))
        variants.append(_capitalised(action))
    return tuple(dict.fromkeys(variants))


def _distinct(results: Iterable[Result]) -> list[Result]:
    seen: set[tuple[str, str]] = set()
    distinct = []
    for result in results:
        key = (result.channel.value, result.display)
        if key not in seen:
            seen.add(key)
            distinct.append(result)
    return distinct


def emergency_piece(
    resolution: Resolution, messages: ChannelMessages, position: int, *, required: bool
) -> Piece:
    """``In danger now? Call 999 or 112`` from the fallback, or the advice to call the local
    emergency number when the directory knows none."""
    numbers = list(dict.fromkeys(result.display for result in resolution.fallback))[:2]
    if not numbers:
        return Piece(position, (messages.text("call_local_emergency"),), required=required)
    both = messages.text("emergency", numbers=messages.text("or").join(numbers))
    first = messages.text("emergency", numbers=numbers[0])
    return Piece(position, tuple(dict.fromkeys((both, first))), required=required)


def answer_pieces(
    resolution: Resolution,
    messages: ChannelMessages,
    *,
    intro: str,
    timezones: Mapping[str, str],
    at: datetime,
    limit: int,
    country_name: str | None = None,
    leading: int = 1,
) -> list[Piece]:
    """The pieces of an answer in priority order: the ``leading`` results (the best one and
    the helplines paired with it, see ``best.paired_order``) and the emergency numbers (all
    required), the intro, then the other results up to ``limit``. A country with no known
    helpline gets a plain statement (with the country's name, or its code when the name is too
    long) after its emergency numbers, which come first in priority."""
    if resolution.no_helpline_known or not resolution.results:
        statements = (
            messages.text("no_helpline", country=country_name or resolution.country),
            messages.text("no_helpline", country=resolution.country),  # the code is shorter
        )
        return [
            emergency_piece(resolution, messages, 1, required=True),
            Piece(0, tuple(dict.fromkeys(statements)), required=True),
        ]
    results = _distinct(resolution.results)[: max(limit, leading)]
    pieces: list[Piece] = []
    named: set[str] = set()
    for index, result in enumerate(results, start=1):
        zone = timezones.get(result.helpline, "UTC")
        variants = result_variants(
            result, messages, zone=zone, at=at, named=result.helpline not in named
        )
        named.add(result.helpline)
        pieces.append(Piece(index, variants, required=index <= max(leading, 1)))
    emergency = emergency_piece(resolution, messages, len(results) + 1, required=True)
    lead = max(leading, 1)
    return [*pieces[:lead], emergency, Piece(0, (intro,)), *pieces[lead:]]


def safe_pieces(helplines: Iterable[Helpline], messages: ChannelMessages) -> list[Piece]:
    """An answer from the directory alone — child helplines' phone numbers as dialled, then
    the emergency numbers — for when the full answer could not be built."""
    child: list[str] = []
    emergency: list[str] = []
    for helpline in helplines:
        for contact in helpline.contacts:
            if contact.channel is not Channel.VOICE:
                continue
            if helpline.kind is Kind.CHILD_HELPLINE:
                child.append(
                    messages.text(
                        "named",
                        name=helpline.name(messages.language),
                        action=messages.text("call", number=contact.value),
                    )
                )
            elif helpline.kind is Kind.EMERGENCY:
                emergency.append(contact.value)
    pieces = [
        Piece(index, (line,), required=index == 1) for index, line in enumerate(child, start=1)
    ]
    numbers = list(dict.fromkeys(emergency))[:2]
    if numbers:
        text = messages.text("emergency", numbers=messages.text("or").join(numbers))
        pieces.insert(1, Piece(len(child) + 1, (text,), required=True))
    else:
        pieces.insert(1, Piece(len(child) + 1, (messages.text("call_local_emergency"),), True))
    if child:
        pieces.insert(2, Piece(0, (messages.text("talk_intro"),)))
    return pieces
