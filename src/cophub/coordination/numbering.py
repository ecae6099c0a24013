"""ITU-style document numbers and the ITU-D deadline rules for contributions.

``CWG-COP-<meeting>/<seq>(Rev.<k>)-<E|F|S|A|C|R>``: the language letter is that of the
version (A Arabic, C Chinese, E English, F French, R Russian, S Spanish). Other bodies set
their own pattern with the fields ``{prefix}``, ``{meeting}``, ``{seq}``, ``{rev}``, ``{lang}``.

Deadlines (ITU-D): received at least 45 days before the meeting — translated and published at
least 7 days before it; 12 to 45 days before — "delayed", published within three working
days, untranslated; under 12 days — held for the next meeting."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Document, Meeting

LANGUAGE_LETTERS = {"ar": "A", "zh-hans": "C", "en": "E", "fr": "F", "ru": "R", "es": "S"}
TRANSLATED_DAYS = 45
HELD_DAYS = 12
ON_TIME, DELAYED, HELD = "on_time", "delayed", "held"


def language_letter(language: str) -> str:
    return LANGUAGE_LETTERS.get(language, language.upper())


def format_number(pattern: str, *, prefix: str, meeting: int, seq: int, rev: int, lang: str) -> str:
    return pattern.format(
        prefix=prefix,
        meeting=meeting,
        seq=seq,
        rev=f"(Rev.{rev})" if rev else "",
        lang=language_letter(lang),
    )


def document_number(document: "Document", language: str) -> str:
    body = document.meeting.body
    return format_number(
        body.document_pattern,
        prefix=body.document_prefix,
        meeting=document.meeting.ordinal,
        seq=document.seq,
        rev=document.revision,
        lang=language,
    )


@dataclass(frozen=True)
class Deadlines:
    translated_by: date  # last day for a translated contribution
    accepted_by: date  # last day for a (delayed) contribution
    rule_today: str  # on_time / delayed / held for a contribution received on the day asked


def timeliness(meeting_starts: date, received: date) -> str:
    days = (meeting_starts - received).days
    if days >= TRANSLATED_DAYS:
        return ON_TIME
    if days >= HELD_DAYS:
        return DELAYED
    return HELD


def meeting_deadlines(meeting: "Meeting", today: date) -> Deadlines:
    return Deadlines(
        translated_by=meeting.starts_on - timedelta(days=TRANSLATED_DAYS),
        accepted_by=meeting.starts_on - timedelta(days=HELD_DAYS),
        rule_today=timeliness(meeting.starts_on, today),
    )
