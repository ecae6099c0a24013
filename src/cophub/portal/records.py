"""What a report shows of another module: neutral records, and the one rule that places them
in a period and in regions (decision 0025).

Each module that has something to report offers ``selectors.records_in_period(*, period,
regions=None) -> list[PeriodRecord]``; reporting (coordination) reads the modules only through
those functions and writes nothing of theirs (ARCHITECTURE.md, "ITU reports")."""

from collections.abc import Collection
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Protocol

from django.db.models import Q


@dataclass(frozen=True)
class Period:
    """The days ``start`` to ``end``, both included.

    The one period rule every module follows: a record counts in a period when the day it
    counts on falls within ``start <= day <= end``. A module says which day that is for each
    kind of record (the day a release was published, a submission decided, a request made,
    an event held…). For a moment (a timestamp) the day is its date in UTC, so a request made
    at 23:59 UTC on the last day counts and one made at 00:00 UTC the next day does not;
    ``instants()`` gives the first and last moment of the period for a database filter."""

    start: date
    end: date

    def instants(self) -> tuple[datetime, datetime]:
        """The first and the last moment of the period, in UTC (for ``__range`` filters)."""
        return (
            datetime.combine(self.start, time.min, tzinfo=UTC),
            datetime.combine(self.end, time.max, tzinfo=UTC),
        )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def day_of(moment: datetime) -> date:
    """The day a moment counts on: its date in UTC (see :class:`Period`)."""
    return moment.astimezone(UTC).date()


def regions_filter(
    regions: Collection[str] | None, *, region: str | None = None, country: str | None = None
) -> Q:
    """The one region rule, as a filter on a module's rows: a row is in the chosen regions
    when its own region (the field ``region``) is one of them or its country's ITU-D region
    (through the field ``country``) is. A row with neither is global: it is kept only when
    ``regions`` is None (every region and the global records)."""
    if regions is None:
        return Q()
    codes = sorted(regions)
    chosen = Q(pk__in=[])
    if region:
        chosen |= Q(**{f"{region}__in": codes})
    if country:
        chosen |= Q(**{f"{country}__region_id__in": codes})
    return chosen


@dataclass(frozen=True)
class PeriodRecord:
    """One thing a module recorded, as a report shows it.

    ``source`` names the row (``"<app label>.<model>:<pk>"``) so every figure of a report can
    be traced back to the platform; ``kind`` says what it is (the report's labels are keyed
    by it); ``on`` is the day it counts on; ``clauses`` are the Res. 67 clauses it serves
    (sorted codes, e.g. ``"BDT-5"``); ``countries`` (ISO 3166-1 alpha-2, sorted) and
    ``region`` (ITU-D region code) place it; a record with neither is global. Approved
    reports store records as JSON (``as_json``), so the shape stays stable."""

    on: date
    kind: str
    title: str
    source: str
    clauses: tuple[str, ...]
    countries: tuple[str, ...] = ()
    region: str | None = None
    participants: int | None = None

    @property
    def app(self) -> str:
        return self.source.split(".", 1)[0]

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["on"] = self.on.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PeriodRecord":
        return cls(
            on=date.fromisoformat(data["on"]),
            kind=data["kind"],
            title=data["title"],
            source=data["source"],
            clauses=tuple(data["clauses"]),
            countries=tuple(data["countries"]),
            region=data.get("region"),
            participants=data.get("participants"),
        )


class RecordsInPeriod(Protocol):
    """What each module's ``selectors.records_in_period`` is: its records of the period (in
    the chosen regions; None: all, with the global records), in a fixed number of queries."""

    def __call__(
        self, *, period: Period, regions: Collection[str] | None = None
    ) -> list[PeriodRecord]: ...
