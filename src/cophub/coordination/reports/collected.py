"""Everything the platform recorded in a period, as one list of ``Record`` with the Res. 67
clauses each serves — the raw material of every report. Reports read the other modules; no
module depends on reporting (ARCHITECTURE.md, "ITU reports").

Each record names its source (module, kind, id) so every figure of a report can be traced
back to rows in the platform. Clauses come from the record itself where it carries them
(activities, best practices, resources) and otherwise from what the module serves (see the
clause table in RESOLUTION-67.md)."""

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone

from cophub.helplines.models import Helpline, NumberStatus
from cophub.practices.models import Submission
from cophub.reference.models import Country
from cophub.resources.models import DisseminationEvent, ResourcePage
from cophub.statistics.models import Release
from cophub.strategies.models import Assessment, AssistanceRequest, CountryProfile

from ..activities.models import Activity, Agreement
from ..documents.models import Document
from ..liaison.models import LiaisonStatement
from ..meetings.models import Meeting
from ..participation import CONTRIBUTION_KINDS


@dataclass(frozen=True)
class Record:
    on: date
    kind: str  # see RECORD_KINDS in reports.py for the labels
    title: str
    source: str  # "<module>.<model>:<id>"
    clauses: tuple[str, ...]
    countries: tuple[str, ...] = ()
    region: str | None = None
    participants: int | None = None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["on"] = self.on.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Record":
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


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    regions: frozenset[str] = frozenset()  # empty: all regions

    def instants(self) -> tuple[datetime, datetime]:
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end, time.max, tzinfo=zone),
        )


def _local(instant: datetime) -> date:
    return timezone.localdate(instant)


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
            on=_local(document.received_at),
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


def _strategies(period: Period) -> Iterator[Record]:
    start, end = period.instants()
    for request in AssistanceRequest.objects.filter(created_at__range=(start, end)):
        yield Record(
            on=_local(request.created_at),
            kind="assistance_request",
            title=request.title,
            source=f"strategies.assistancerequest:{request.pk}",
            clauses=("BDT-5",),
            countries=(request.country_id,),
            region=request.region_id,
        )
    for assessment in Assessment.objects.filter(submitted_at__range=(start, end)):
        yield Record(
            on=_local(assessment.submitted_at),  # type: ignore[arg-type]  # filtered non-null
            kind="assessment",
            title=f"{assessment.country_id} {assessment.year}",
            source=f"strategies.assessment:{assessment.pk}",
            clauses=("BDT-5", "MS-1"),
            countries=(assessment.country_id,),
        )
    for profile in CountryProfile.objects.select_related("assessment").filter(
        published_at__range=(start, end)
    ):
        yield Record(
            on=_local(profile.published_at),  # type: ignore[arg-type]
            kind="strategy_profile",
            title=f"{profile.assessment.country_id} {profile.assessment.year}",
            source=f"strategies.countryprofile:{profile.pk}",
            clauses=("MS-1", "MS-2"),
            countries=(profile.assessment.country_id,),
        )


def _statistics(period: Period) -> Iterator[Record]:
    start, end = period.instants()
    for release in Release.objects.filter(published_at__range=(start, end)):
        yield Record(
            on=_local(release.published_at),
            kind="statistics_release",
            title=release.code,
            source=f"statistics.release:{release.pk}",
            clauses=("BDT-6", "MS-4"),
            countries=(release.country_id,),
        )


def _helplines(period: Period) -> Iterator[Record]:
    start, end = period.instants()
    helpline_type = ContentType.objects.get_for_model(Helpline)
    created = LogEntry.objects.filter(
        content_type=helpline_type,
        action=LogEntry.Action.CREATE,
        timestamp__range=(start, end),
    ).values_list("object_pk", "timestamp")
    helplines = {
        str(pk): (slug, country)
        for pk, slug, country in Helpline.objects.values_list("pk", "slug", "country_id")
    }
    for object_pk, timestamp in created:
        if object_pk not in helplines:
            continue  # deleted since
        slug, country = helplines[object_pk]
        yield Record(
            on=_local(timestamp),
            kind="helpline_added",
            title=slug,
            source=f"helplines.helpline:{object_pk}",
            clauses=("SM-1",),
            countries=(country,),
        )
    statuses = NumberStatus.objects.select_related("number").filter(
        date__gte=period.start.isoformat(), date__lte=period.end.isoformat()
    )
    for status in statuses:
        if len(status.date) != 10:
            continue  # a year or month only: not placed in a period
        yield Record(
            on=date.fromisoformat(status.date),
            kind="number_status",
            title=f"{status.number.number} {status.status}",
            source=f"helplines.numberstatus:{status.pk}",
            clauses=("MS-3",),
            countries=(status.number.country_id,),
        )


def _practices(period: Period) -> Iterator[Record]:
    start, end = period.instants()
    published = Submission.objects.filter(
        state__publishable=True, decided_at__range=(start, end)
    ).prefetch_related("clauses")
    for submission in published:
        yield Record(
            on=_local(submission.decided_at),  # type: ignore[arg-type]
            kind="best_practice",
            title=submission.title,
            source=f"practices.submission:{submission.pk}",
            clauses=tuple(sorted({c.pk for c in submission.clauses.all()} | {"BDT-3"})),
            countries=(submission.country_id,) if submission.country_id else (),
            region=submission.region_id,
        )


def _resources(period: Period) -> Iterator[Record]:
    start, end = period.instants()
    pages = ResourcePage.objects.filter(
        live=True, first_published_at__range=(start, end), alias_of__isnull=True
    ).prefetch_related("clauses")
    seen: set[Any] = set()
    for page in pages.order_by("first_published_at"):
        if page.translation_key in seen:
            continue  # a translation of a resource already counted
        seen.add(page.translation_key)
        yield Record(
            on=_local(page.first_published_at),
            kind="resource",
            title=page.title,
            source=f"resources.resourcepage:{page.pk}",
            clauses=tuple(sorted({c.pk for c in page.clauses.all()} | {"BDT-11"})),
        )
    for event in DisseminationEvent.objects.filter(held_on__range=(period.start, period.end)):
        yield Record(
            on=event.held_on,
            kind=f"dissemination_{event.kind}",
            title=event.title,
            source=f"resources.disseminationevent:{event.pk}",
            clauses=("MS-6", "BDT-11"),
            countries=(event.country_id,),
            participants=event.attendance,
        )


SOURCES = (_recorded, _coordination, _strategies, _statistics, _helplines, _practices, _resources)


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


def records_in_period(period: Period) -> list[Record]:
    """Every record of the period (in the chosen regions), oldest first. A record with no
    country and no region is global and counts only when all regions are chosen."""
    records = [record for source in SOURCES for record in source(period)]
    chosen = _in_regions(records, period.regions)
    return sorted(chosen, key=lambda record: (record.on, record.source))
