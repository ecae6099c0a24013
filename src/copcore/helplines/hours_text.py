"""Opening hours as a person writes them: the part of OpenStreetMap's ``opening_hours`` syntax
that weekly shifts can hold (decision 0045).

    24/7
    Mo-Fr 08:00-20:00; Sa 10:00-14:00
    Mo,We,Fr 09:00-12:00,14:00-17:00; Su 20:00-02:00

A rule is optional weekdays (``Mo``…``Su``, ranges and lists; no weekdays is every day) and one
or more time spans; a span closing at or before its opening ends on the next day. As in
``opening_hours``, a later rule replaces what an earlier one said for the weekdays it names.
Holidays, months, week numbers, sunrise and the like are refused: a weekly shift cannot hold
them (give closed days as ``closed_on``)."""

import re
from datetime import time

from .model import Hours, Shift
from .parse import FormatError

DAYS: tuple[str, ...] = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_DAY = {day.lower(): index for index, day in enumerate(DAYS)}
_SPAN = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
_DAYS_PART = re.compile(r"^[A-Za-z]{2}(?:-[A-Za-z]{2})?(?:,[A-Za-z]{2}(?:-[A-Za-z]{2})?)*$")


def _clock(hour: str, minute: str, part: str, path: str, *, closing: bool) -> time:
    h, m = int(hour), int(minute)
    if closing and (h, m) == (24, 0):
        return time(0, 0)  # "…-24:00": until midnight, the next day's 00:00
    if h > 23 or m > 59:
        raise FormatError(path, "invalid_hours", part=part)
    return time(h, m)


def _weekdays(text: str, path: str) -> list[int]:
    days: list[int] = []
    for item in text.split(","):
        first, _sep, last = item.partition("-")
        if first.lower() not in _DAY or (last and last.lower() not in _DAY):
            raise FormatError(path, "invalid_hours", part=item)
        start = _DAY[first.lower()]
        end = _DAY[last.lower()] if last else start
        # "Sa-Mo" wraps over the week's end, as in opening_hours.
        days.extend((start + offset) % 7 for offset in range((end - start) % 7 + 1))
    return days


def _spans(text: str, path: str) -> list[tuple[time, time]]:
    spans = []
    for item in text.split(","):
        match = _SPAN.match(item)
        if not match:
            raise FormatError(path, "invalid_hours", part=item)
        opens = _clock(match[1], match[2], item, path, closing=False)
        closes = _clock(match[3], match[4], item, path, closing=True)
        if opens == closes and (match[3], match[4]) != ("24", "00"):
            raise FormatError(path, "invalid_hours", part=item)
        spans.append((opens, closes))
    return spans


def hours_from_text(text: str, path: str = "$.hours") -> Hours | None:
    """``Hours`` from the text; empty text is None (hours unknown). Raises ``FormatError``
    (code ``invalid_hours``, ``part`` the piece not understood)."""
    text = re.sub(r"\s*([-,;])\s*", r"\1", " ".join(text.split()))
    if not text:
        return None
    if text.lower() == "24/7":
        return Hours(always=True)
    by_day: dict[int, list[tuple[time, time]]] = {}
    for rule in (part.strip() for part in text.split(";")):
        if not rule:
            continue
        words = rule.split(" ")
        if len(words) == 1:
            days, spans = list(range(7)), _spans(words[0], path)
        elif len(words) == 2 and _DAYS_PART.match(words[0]):
            days, spans = _weekdays(words[0], path), _spans(words[1], path)
        else:
            raise FormatError(path, "invalid_hours", part=rule)
        for day in days:
            by_day[day] = spans
    if not by_day:
        return None
    grouped: dict[tuple[time, time], set[int]] = {}
    for day, spans in sorted(by_day.items()):
        for span in spans:
            grouped.setdefault(span, set()).add(day)
    shifts = tuple(
        Shift(days=frozenset(days), opens=opens, closes=closes)
        for (opens, closes), days in sorted(grouped.items(), key=lambda item: min(item[1]))
    )
    return Hours(shifts=shifts)


def _days_text(days: list[int]) -> str:
    if len(days) == 7:
        return ""
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        DAYS[run[0]] if len(run) == 1 else f"{DAYS[run[0]]}-{DAYS[run[-1]]}" for run in runs
    )


def hours_to_text(hours: Hours | None) -> str:
    """The text ``hours_from_text`` reads back to the same shifts ("" for unknown hours)."""
    if hours is None:
        return ""
    if hours.always:
        return "24/7"
    by_day: dict[int, list[tuple[time, time]]] = {}
    for shift in hours.shifts:
        for day in shift.days:
            by_day.setdefault(day, []).append((shift.opens, shift.closes))
    rules: dict[tuple[tuple[time, time], ...], list[int]] = {}
    for day in sorted(by_day):
        rules.setdefault(tuple(sorted(set(by_day[day]))), []).append(day)
    parts = []
    for spans, days in sorted(rules.items(), key=lambda item: item[1][0]):
        times = ",".join(f"{o:%H:%M}-{'24:00' if c == time(0) else f'{c:%H:%M}'}" for o, c in spans)
        days_text = _days_text(days)
        parts.append(f"{days_text} {times}" if days_text else times)
    return "; ".join(parts)
