"""Opening hours: is a contact open at an instant, and when does it next open or close.

Hours are weekly shifts in the helpline's IANA time zone, so daylight-saving changes are
handled by ``zoneinfo``: a shift from 08:00 to 20:00 is 08:00–20:00 local time on both sides of
a change. A shift whose closing time is at or before its opening time ends the next day. A
date in ``closed_on`` cancels the shifts that *start* on that local date (an overnight shift
that started the evening before still runs to its end)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .model import Hours, Shift


@dataclass(frozen=True)
class OpenState:
    """``open_now`` is None when the hours are unknown; ``opens_at``/``closes_at`` are UTC
    instants of the next change (None when always open, unknown or never)."""

    open_now: bool | None
    opens_at: datetime | None = None
    closes_at: datetime | None = None


def _local_instant(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock ``clock`` on ``day`` in ``zone``. Per PEP 495 (fold=0) an
    ambiguous time is its first occurrence, and a time skipped by a daylight-saving jump is read
    with the offset in force before the jump, so it lands just after the gap."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def _intervals(
    hours: Hours, zone: ZoneInfo, first: date, last: date
) -> list[tuple[datetime, datetime]]:
    """Every open interval (UTC) of shifts starting between ``first`` and ``last``, sorted."""
    intervals = []
    day = first
    while day <= last:
        if day not in hours.closed_on:
            for shift in hours.shifts:
                if day.weekday() in shift.days:
                    intervals.append(_shift_interval(shift, day, zone))
        day += timedelta(days=1)
    return sorted(intervals)


def _shift_interval(shift: Shift, day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = _local_instant(day, shift.opens, zone)
    end_day = day + timedelta(days=1) if shift.overnight else day
    return start, _local_instant(end_day, shift.closes, zone)


def _merged(intervals: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in intervals:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def opening_hours_state(hours: Hours | None, timezone: str, at: datetime) -> OpenState:
    """Whether a contact with ``hours`` is open at the aware instant ``at``, and the next
    opening (when closed) or closing (when open) instant, looking two weeks ahead."""
    if hours is None:
        return OpenState(open_now=None)
    if hours.always:
        return OpenState(open_now=True)
    zone = ZoneInfo(timezone)
    today = at.astimezone(zone).date()
    intervals = _merged(
        _intervals(hours, zone, today - timedelta(days=1), today + timedelta(days=14))
    )
    for start, end in intervals:
        if start <= at < end:
            return OpenState(open_now=True, closes_at=end)
        if start > at:
            return OpenState(open_now=False, opens_at=start)
    return OpenState(open_now=False)


def opening_hours_is_open(hours: Hours | None, timezone: str, at: datetime) -> bool | None:
    return opening_hours_state(hours, timezone, at).open_now
