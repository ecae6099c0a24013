"""Reading the open data format (``cophub.helplines/1``) into the plain model. The JSON Schema
(``schema/``) checks shapes; these functions check meaning and build the dataclasses."""

from collections.abc import Mapping, Sequence
from datetime import date, time
from typing import Any

from .model import WEEKDAYS, Channel, Contact, Helpline, Hours, Kind, Shift, Source


class FormatError(ValueError):
    """A value of the format is wrong; ``path`` is its JSON path (``$.helplines[0].contacts``)."""

    def __init__(self, path: str, code: str, **params: object) -> None:
        self.path = path
        self.code = code
        self.params = params
        super().__init__(f"{path}: {code} {params}")


def parse_time(value: str, path: str) -> time:
    try:
        hour, minute = (int(part) for part in value.split(":"))
        return time(hour, minute)
    except ValueError as error:
        raise FormatError(path, "invalid_time", value=value) from error


def parse_date(value: str, path: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise FormatError(path, "invalid_date", value=value) from error


def parse_hours(raw: Any, closed_on: Sequence[str], path: str) -> Hours | None:
    """``"24/7"``, a list of shifts, or None (unknown)."""
    closed = frozenset(parse_date(d, f"{path}.closed_on[{i}]") for i, d in enumerate(closed_on))
    if raw is None:
        return None
    if raw == "24/7":
        return Hours(always=True, closed_on=closed)
    shifts = []
    for index, shift in enumerate(raw):
        shift_path = f"{path}.hours[{index}]"
        days = frozenset(WEEKDAYS.index(day) for day in shift["days"])
        opens = parse_time(shift["open"], f"{shift_path}.open")
        closes = parse_time(shift["close"], f"{shift_path}.close")
        shifts.append(Shift(days=days, opens=opens, closes=closes))
    return Hours(shifts=tuple(shifts), closed_on=closed)


def hours_to_json(hours: Hours | None) -> Any:
    if hours is None:
        return None
    if hours.always:
        return "24/7"
    return [
        {
            "days": [WEEKDAYS[d] for d in sorted(shift.days)],
            "open": shift.opens.strftime("%H:%M"),
            "close": shift.closes.strftime("%H:%M"),
        }
        for shift in hours.shifts
    ]


def parse_contact(raw: Mapping[str, Any], path: str) -> Contact:
    channel = Channel(raw["channel"])
    value = raw["value"].strip()
    if channel in (Channel.WEBCHAT, Channel.APP) and not value.startswith("https://"):
        raise FormatError(f"{path}.value", "link_not_https", value=value)
    if channel in (Channel.VOICE, Channel.SMS, Channel.USSD) and not any(
        c.isdigit() for c in value
    ):
        raise FormatError(f"{path}.value", "not_a_number", value=value)
    if channel is Channel.VOICE and value.startswith("+") and len(value.replace(" ", "")) < 9:
        # "+254116" and the like: a short code has no international form.
        raise FormatError(f"{path}.value", "invented_international_short_code", value=value)
    return Contact(
        channel=channel,
        value=value,
        free=raw.get("free"),
        hours=parse_hours(raw.get("hours"), raw.get("closed_on", []), path),
    )


def parse_helpline(raw: Mapping[str, Any], path: str) -> Helpline:
    age_min, age_max = raw.get("age_min"), raw.get("age_max")
    if age_min is not None and age_max is not None and age_min > age_max:
        raise FormatError(f"{path}.age_max", "age_range_reversed", age_min=age_min, age_max=age_max)
    source = raw["source"]
    verified = source.get("verified_at")
    return Helpline(
        id=raw["id"],
        names=dict(raw["name"]),
        country=raw["country"],
        kind=Kind(raw["kind"]),
        timezone=raw.get("timezone", "UTC"),
        contacts=tuple(
            parse_contact(contact, f"{path}.contacts[{i}]")
            for i, contact in enumerate(raw["contacts"])
        ),
        source=Source(
            url=source["url"],
            type=source["type"],
            verified_at=parse_date(verified, f"{path}.source.verified_at") if verified else None,
        ),
        subdivisions=frozenset(raw.get("subdivisions", [])),
        topics=frozenset(raw.get("topics", [])),
        age_min=age_min,
        age_max=age_max,
        languages=tuple(raw.get("languages", [])),
        operator=raw.get("operator", ""),
        chi_member=raw.get("chi_member"),
        paired_with=frozenset(raw.get("paired_with", [])),
    )
