"""Everything the platform recorded in a period, as one list of ``Record`` with the Res. 67
clauses each serves — the raw material of every report. Reports read the other modules only
through their ``selectors.records_in_period`` and write nothing of theirs; no module depends
on reporting (ARCHITECTURE.md, "ITU reports"; decision 0025).

Each record names its source (module, kind, id) so every figure of a report can be traced
back to rows in the platform. Clauses come from the record itself where it carries them
(activities, best practices, resources) and otherwise from what the module serves (see the
clause table in RESOLUTION-67.md)."""

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, Model, Q

from cophub.helplines import selectors as helpline_selectors
from cophub.portal.records import Period as RecordsPeriod
from cophub.portal.records import PeriodRecord, RecordsInPeriod, day_of
from cophub.practices import selectors as practice_selectors
from cophub.reference.models import Clause, Country
from cophub.resources import selectors as resource_selectors
from cophub.statistics import selectors as statistics_selectors
from cophub.strategies import selectors as strategy_selectors

from ..activities.models import Activity, Agreement, Partner
from ..documents.models import Document
from ..liaison.models import LiaisonStatement
from ..meetings.models import Body, Meeting, Registration
from ..participation import CONTRIBUTION_KINDS

# The records a report shows are the modules' neutral records (reports store them as JSON).
Record = PeriodRecord


@dataclass(frozen=True)
class Period(RecordsPeriod):
    """A report's period (the one period rule of :class:`cophub.portal.records.Period`) and
    the ITU-D regions it covers; no regions: every region and the global records."""

    regions: frozenset[str] = frozenset()


def _recorded(period: Period) -> Iterator[Record]:
    activities = Activity.objects.filter(
        starts_on__lte=period.end, ends_on__gte=period.start
    ).prefetch_related("countries", "clauses")
    for activity in activities:
        yield Record(
            on=max(activity.starts_on, period.start),
            kind=activity.kind,
            title=activity.title,
            source=f"coordination.activity:{activity.pk}",
            clauses=tuple(sorted(c.pk for c in activity.clauses.all())),
            countries=tuple(sorted(c.iso2 for c in activity.countries.all())),
            region=activity.region_id,
            participants=activity.participants,
        )


def _coordination(period: Period) -> Iterator[Record]:
    meetings = (
        Meeting.objects.select_related("body")
        .filter(starts_on__range=(period.start, period.end))
        .annotate(attended=Count("registrations", filter=Q(registrations__attended=True)))
    )
    for meeting in meetings:
        yield Record(
            on=meeting.starts_on,
            kind="meeting",
            title=str(meeting),
            source=f"coordination.meeting:{meeting.pk}",
            clauses=("BDT-10", "MSSM-1"),
            region=meeting.body.region_id,
            participants=meeting.attended or None,
        )
    for statement in LiaisonStatement.objects.select_related("document").filter(
        sent_on__range=(period.start, period.end)
    ):
        yield Record(
            on=statement.sent_on or period.start,
            kind=statement.document.kind,
            title=statement.subject,
            source=f"coordination.liaisonstatement:{statement.pk}",
            clauses=("BDT-2",),
        )
    start, end = period.instants()
    for document in Document.objects.filter(
        kind__in=CONTRIBUTION_KINDS, received_at__range=(start, end), revision=0
    ).exclude(status=Document.Status.WITHDRAWN):
        yield Record(
            on=day_of(document.received_at),
            kind="contribution",
            title=document.title,
            source=f"coordination.document:{document.pk}",
            clauses=("MSSM-1",),
            countries=(document.country_id,) if document.country_id else (),
        )
    for agreement in Agreement.objects.select_related("partner").filter(
        signed_on__range=(period.start, period.end)
    ):
        yield Record(
            on=agreement.signed_on,
            kind="agreement",
            title=f"{agreement.partner.name}: {agreement.title}",
            source=f"coordination.agreement:{agreement.pk}",
            clauses=("BDT-4",),
        )


# What each other module recorded, read only through its selectors (decision 0025).
MODULES: tuple[RecordsInPeriod, ...] = (
    strategy_selectors.records_in_period,
    statistics_selectors.records_in_period,
    helpline_selectors.records_in_period,
    practice_selectors.records_in_period,
    resource_selectors.records_in_period,
)


def _in_regions(records: Iterable[Record], regions: frozenset[str]) -> list[Record]:
    if not regions:
        return list(records)
    records = list(records)
    codes = {code for record in records for code in record.countries}
    region_of = dict(Country.objects.filter(iso2__in=codes).values_list("iso2", "region_id"))
    return [
        record
        for record in records
        if record.region in regions
        or any(region_of.get(code) in regions for code in record.countries)
    ]


# Every model ``_own`` reads, and the countries that place records in regions: coordination
# refreshes its summaries after their rows change (with the other modules' own lists, in
# their selectors). The activities' countries and clauses are their many-to-many tables.
PERIOD_RECORD_MODELS: tuple[type[Model], ...] = (
    Activity,
    Activity.countries.through,
    Activity.clauses.through,
    Meeting,
    Body,
    Registration,
    LiaisonStatement,
    Document,
    Agreement,
    Partner,
    Country,
    Clause,
)


def _own(period: Period) -> list[Record]:
    """Coordination's own records of the period, in its regions."""
    return _in_regions([*_recorded(period), *_coordination(period)], period.regions)


def records_in_period(period: Period) -> list[Record]:
    """Every record of the period (in the chosen regions), oldest first. A record with no
    country and no region is global and counts only when all regions are chosen."""
    window = RecordsPeriod(period.start, period.end)
    regions: Collection[str] | None = period.regions or None
    chosen = _own(period) + [
        record for module in MODULES for record in module(period=window, regions=regions)
    ]
    return sorted(chosen, key=lambda record: (record.on, record.source))
