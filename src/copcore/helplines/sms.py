"""SMS for children without data: segment counting, GSM-7 folding, reading a keyword and a
country code from an inbound message, and composing a reply that fits one segment.

Segment rules follow 3GPP TS 23.038 (alphabets) and TS 23.040 (concatenation): a message in the
GSM 7-bit default alphabet holds 160 septets, or 153 per part when concatenated (the user data
header takes 7); a character of the extension table costs two septets (escape + code) and is
never split across parts. Any other character switches the whole message to UCS-2: 70 UTF-16
code units, or 67 per part; a surrogate pair is never split.

>>> sms_segments("Call 116")
1
>>> sms_encoding("Звони 116")
'ucs2'
>>> gsm_fold("Número gratuito, ça coûte rien")
'Numero gratuito, ca coute rien'
"""

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from .channel_text import (
    ChannelMessages,
    Piece,
    answer_pieces,
    channel_messages,
    compose,
    keyword_languages,
    keyword_normal,
    safe_pieces,
)
from .model import Helpline
from .resolve import Resolution

Encoding = Literal["gsm7", "ucs2"]

# GSM 03.38 default alphabet (the escape 0x1B excluded) and its extension table.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

# Typographic characters with a plain GSM equivalent that decomposition does not find.
_FOLD_SPECIAL = {
    "‘": "'",
    "’": "'",
    "‚": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "«": '"',
    "»": '"',
    "–": "-",
    "—": "-",
    "‑": "-",
    "…": "...",
    "œ": "oe",
    "Œ": "OE",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
}


def sms_encoding(text: str) -> Encoding:
    """``gsm7`` when every character is in the GSM default alphabet or its extension table,
    else ``ucs2``."""
    gsm = GSM7_BASIC | GSM7_EXTENSION
    return "gsm7" if all(ch in gsm for ch in text) else "ucs2"


def _costs(text: str, encoding: Encoding) -> list[int]:
    if encoding == "gsm7":
        return [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    return [len(ch.encode("utf-16-le")) // 2 for ch in text]


def sms_units(text: str) -> int:
    """Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes."""
    return sum(_costs(text, sms_encoding(text)))


def sms_segments(text: str) -> int:
    """How many SMS the text is sent as (an empty message still costs one).

    >>> sms_segments("a" * 160), sms_segments("a" * 161), sms_segments("€" * 80)
    (1, 2, 1)
    >>> sms_segments("ж" * 70), sms_segments("ж" * 71)
    (1, 2)
    """
    encoding = sms_encoding(text)
    costs = _costs(text, encoding)
    single, part = (GSM7_SINGLE, GSM7_PART) if encoding == "gsm7" else (UCS2_SINGLE, UCS2_PART)
    if sum(costs) <= single:
        return 1
    segments, used = 1, 0
    for cost in costs:  # an escape pair or a surrogate pair stays in one part
        if used + cost > part:
            segments, used = segments + 1, 0
        used += cost
    return segments


def gsm_fold(text: str) -> str:
    """Replace characters outside GSM-7 by their plain equivalent where one exists (``ê`` →
    ``e``, ``ç`` → ``c``, ``’`` → ``'``); others (Arabic, Cyrillic, Chinese) stay as they are."""
    gsm = GSM7_BASIC | GSM7_EXTENSION
    folded = []
    for ch in text:
        if ch in gsm:
            folded.append(ch)
        elif ch in _FOLD_SPECIAL:
            folded.append(_FOLD_SPECIAL[ch])
        else:
            base = "".join(
                c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)
            )
            folded.append(base if base and all(c in gsm for c in base) else ch)
    return "".join(folded)


def gsm_fold_if_complete(text: str) -> str:
    """The folded text when folding makes it all GSM-7 (French, Spanish, Swahili, English);
    otherwise the text unchanged, since it is sent as UCS-2 anyway and keeps its spelling."""
    folded = gsm_fold(text)
    return folded if sms_encoding(folded) == "gsm7" else text


def sms_fits_one(text: str) -> bool:
    """Whether ``text`` (as it will be sent, folded where possible) is a single SMS."""
    return sms_segments(gsm_fold_if_complete(text)) == 1


# --- Reading an inbound message -------------------------------------------------------------

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_SCRIPTS = (
    (re.compile(r"[\u0600-\u06ff\u0750-\u077f]"), "ar"),
    (re.compile(r"[\u0400-\u04ff]"), "ru"),
    (re.compile(rf"[{_CJK}]"), "zh-hans"),
)


@dataclass(frozen=True)
class SmsRequest:
    """What an inbound message asks for: a reply language (from a keyword such as ``AIDE``, or
    the script it is written in) and a country (from ``KEYWORD CC``), each None when absent."""

    language: str | None = None
    country: str | None = None
    keyword: bool = False


def sms_request_parse(
    body: str,
    *,
    sender_country_known: bool,
    keywords: Mapping[str, str] | None = None,
    ambiguous: Callable[[str], frozenset[str]] | None = None,
) -> SmsRequest:
    """Read ``HELP KE``, ``aide fr``, ``AYUDA, MX!``, ``帮助 CN``: a keyword in one of the channel
    languages picks the reply language; a country code is taken only from a message that is
    exactly a keyword and two letters.

    A two-letter word that is also a country code ("help me", "ayuda me", "msaada na") is read
    as a word when the sender's country is known: a child texting "help me" from Kenya gets
    Kenya's numbers, not Montenegro's.

    >>> sms_request_parse("help KE", sender_country_known=True)
    SmsRequest(language='en', country='KE', keyword=True)
    >>> sms_request_parse("HELP ME", sender_country_known=True)
    SmsRequest(language='en', country=None, keyword=True)
    """
    table = keywords if keywords is not None else keyword_languages()
    words = ambiguous or (lambda language: channel_messages(language).ambiguous_codes)
    tokens = _TOKEN.findall(body)
    normal = [keyword_normal(token) for token in tokens]
    language = next((table[token] for token in normal if token in table), None)
    if language is None:
        script = next((code for pattern, code in _SCRIPTS if pattern.search(body)), None)
        return SmsRequest(language=script)
    country = None
    if len(normal) == 2 and normal[0] in table and re.fullmatch(r"[A-Za-z]{2}", tokens[1]):
        code = tokens[1].upper()
        if not (sender_country_known and code in words(table[normal[0]])):
            country = code
    return SmsRequest(language=language, country=country, keyword=True)


# --- Composing a reply ----------------------------------------------------------------------


def sms_reply_lines(
    resolution: Resolution,
    messages: ChannelMessages,
    *,
    timezones: Mapping[str, str],
    at: datetime,
    intro_key: str = "sms_intro",
    max_results: int = 4,
    fits: Callable[[str], bool] = sms_fits_one,
    country_name: str | None = None,
) -> tuple[str, ...]:
    """The reply's lines, best results first: the top result and the emergency number always,
    then the intro and further results while the message still ``fits`` (one segment by
    default); lower-ranked results are dropped, or shortened, before the reply is split."""
    pieces = answer_pieces(
        resolution,
        messages,
        intro=messages.text(intro_key),
        timezones=timezones,
        at=at,
        limit=max_results,
        country_name=country_name,
    )
    return _sent_lines(compose(pieces, fits))


def sms_reply(
    resolution: Resolution,
    messages: ChannelMessages,
    *,
    timezones: Mapping[str, str],
    at: datetime,
    max_results: int = 4,
    fits: Callable[[str], bool] = sms_fits_one,
    country_name: str | None = None,
) -> str:
    """The reply as sent (folded to GSM-7 where the language allows). ``country_name`` names
    the country in the statement made when no helpline is known there."""
    lines = sms_reply_lines(
        resolution,
        messages,
        timezones=timezones,
        at=at,
        max_results=max_results,
        fits=fits,
        country_name=country_name,
    )
    return "\n".join(lines)


def sms_safe_reply(helplines: Iterable[Helpline], messages: ChannelMessages) -> str:
    """A reply built from the directory alone (no resolver, no hours): used when composing the
    full answer failed, so a child still gets the country's child helpline numbers."""
    return "\n".join(_sent_lines(compose(safe_pieces(helplines, messages), sms_fits_one)))


def sms_unknown_country_reply(messages: ChannelMessages) -> str:
    """A plain statement when the country is unknown, with how to name one (``HELP KE``)."""
    pieces = [
        Piece(0, (messages.text("unknown_country"),), required=True),
        Piece(2, (messages.text("call_local_emergency"),), required=True),
        Piece(1, (messages.text("keyword_hint"),)),
    ]
    return "\n".join(_sent_lines(compose(pieces, sms_fits_one)))


def _sent_lines(lines: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(gsm_fold_if_complete("\n".join(lines)).split("\n"))
