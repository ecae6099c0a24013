"""The API of activities and the collected feed, and of reports (mounted under
``/api/v1/coordination/``)."""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from cophub.portal.api_auth import AUTHENTICATED, api_language, api_user
from cophub.portal.api_validation import RequiredText
from cophub.portal.errors import FieldErrors
from cophub.portal.paging import keyset_paginate
from cophub.reference.languages import UI_LANGUAGE_CODES

from .. import access
from ..activities import services as activity_services
from ..activities.models import Activity
from . import rendering as report_rendering
from . import services as reports
from .collected import Period
from .models import CollectedRecord, Report
from .selectors import FEED_ORDERING, feed_record_json, feed_records

router = Router()


class ActivityIn(Schema):
    kind: Activity.Kind
    title: RequiredText
    description: str = ""
    starts_on: date
    ends_on: date | None = None
    region: str | None = None
    countries: list[str] = []
    partners: list[int] = []
    clauses: list[str] = Field(min_length=1)
    participants: int | None = Field(None, ge=0)


class ReportCompileIn(Schema):
    kind: Report.Kind
    period_start: date
    period_end: date
    regions: list[str] = []
    title: str = ""
    source_language: str = "en"


class TextIn(Schema):
    section: str
    language: str
    text: str


class ApproveIn(Schema):
    meeting: int | None = None


class ActivityRecordedOut(Schema):
    id: int
    title: str


class FeedRecordOut(Schema):
    on: str
    kind: str
    title: str
    source: str
    clauses: list[str]
    countries: list[str]
    region: str | None
    participants: int | None


class ReportSummaryOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    period_start: date
    period_end: date
    number: str | None


class ReportClauseOut(Schema):
    """A clause's reading as compiled (empty where the secretariat had set none)."""

    clause: str
    status: str | None
    progress: int | None
    timeline: str | None


class CoordinationReportOut(Schema):
    """A report as compiled (and, once approved, frozen): its snapshot's parts as stored."""

    id: int
    kind: str
    title: str
    period_start: date
    period_end: date
    regions: list[str]
    status: str
    number: str | None
    figures: dict[str, int]
    translation_coverage: float | None
    participation: list[dict[str, Any]]
    records: list[dict[str, Any]]
    clauses: list[ReportClauseOut]


class ReportTextsOut(Schema):
    id: int
    texts: dict[str, dict[str, str]]  # section -> language -> status


def report_out(report: Report) -> CoordinationReportOut:
    return CoordinationReportOut(
        id=report.pk,
        kind=report.kind,
        title=report.title,
        period_start=report.period_start,
        period_end=report.period_end,
        regions=reports.report_region_codes(report),
        status=report.status,
        number=report.number or None,
        figures=report.snapshot["figures"],
        translation_coverage=report.snapshot.get("translation_coverage"),
        participation=report.snapshot.get("participation", []),
        records=report.snapshot["records"],
        clauses=[ReportClauseOut(**clause) for clause in report_rendering.report_clauses(report)],
    )


@router.post("/activities", response={201: ActivityRecordedOut}, auth=AUTHENTICATED)
def activity_record(request: HttpRequest, payload: ActivityIn) -> Status[ActivityRecordedOut]:
    user = api_user(request)
    access.access_activities_for_record(user, payload.region)
    activity = activity_services.activity_record(
        user=user,
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        region=payload.region,
        countries=payload.countries,
        partners=payload.partners,
        clauses=payload.clauses,
        participants=payload.participants,
    )
    return Status(201, ActivityRecordedOut(id=activity.pk, title=activity.title))


def _feed_row(record: CollectedRecord) -> FeedRecordOut:
    return FeedRecordOut(**feed_record_json(record))


@router.get("/activities", response=list[FeedRecordOut], auth=AUTHENTICATED)
@keyset_paginate(page_size=100, max_page_size=500, ordering=FEED_ORDERING, row=_feed_row)
def activity_feed(
    request: HttpRequest, start: date, end: date, region: str | None = None
) -> QuerySet[CollectedRecord]:
    """Everything recorded or collected from the other modules in the period (secretariat),
    in date order, from the summaries (decision 0041)."""
    access.access_feed_for_read(api_user(request))
    if end < start:
        errors = FieldErrors()
        errors.add("end", _("The period ends before it starts."), "invalid_date")
        errors.raise_if_any()
    period = Period(start, end, frozenset({region.upper()}) if region else frozenset())
    return feed_records(period)


def _report_summary(r: Report) -> ReportSummaryOut:
    return ReportSummaryOut(
        id=r.pk,
        kind=r.kind,
        title=r.title,
        status=r.status,
        period_start=r.period_start,
        period_end=r.period_end,
        number=r.number or None,
    )


@router.get("/reports", response=list[ReportSummaryOut])
@keyset_paginate(ordering=("-period_end", "-created_at", "-pk"), row=_report_summary)
def report_list(request: HttpRequest) -> QuerySet[Report]:
    """Reports, the latest period first."""
    return access.reports_visible_to(request.user)


@router.post("/reports", response={201: CoordinationReportOut}, auth=AUTHENTICATED)
def report_compile(request: HttpRequest, payload: ReportCompileIn) -> Status[CoordinationReportOut]:
    user = api_user(request)
    access.access_reports_for_compile(user, payload.regions)
    report = reports.report_compile(
        user=user,
        kind=payload.kind,
        period_start=payload.period_start,
        period_end=payload.period_end,
        regions=payload.regions,
        title=payload.title,
        source_language=payload.source_language,
    )
    return Status(201, report_out(report))


@router.get("/reports/{report_id}", response=CoordinationReportOut)
def report_detail(request: HttpRequest, report_id: int) -> CoordinationReportOut:
    return report_out(access.access_report(request.user, report_id))


@router.put("/reports/{report_id}/texts", response=ReportTextsOut, auth=AUTHENTICATED)
def report_text(request: HttpRequest, report_id: int, payload: TextIn) -> ReportTextsOut:
    user = api_user(request)
    report = reports.report_text_set(
        user=user, report=access.access_report_for_edit(user, report_id), **payload.model_dump()
    )
    return ReportTextsOut(
        id=report.pk,
        texts={
            section: {
                language: reports.text_status(report, section, language).value
                for language in UI_LANGUAGE_CODES
            }
            for section in report.editor_texts.get("sections", {})
        },
    )


@router.post("/reports/{report_id}/approve", response=CoordinationReportOut, auth=AUTHENTICATED)
def report_approve(
    request: HttpRequest, report_id: int, payload: ApproveIn
) -> CoordinationReportOut:
    user = api_user(request)
    report = reports.report_approve(
        user=user,
        report=access.access_report_for_approve(user, report_id),
        meeting_id=payload.meeting,
    )
    return report_out(report)


@router.get("/reports/{report_id}/export")
def report_export(
    request: HttpRequest, report_id: int, lang: str | None = None, format: str = "pdf"
) -> HttpResponse:
    report = access.access_report(request.user, report_id)
    # ``lang`` is checked with ``format`` (both named at once); absent, the request's language.
    language = api_language(None) if lang is None else lang
    content, media_type, name = report_rendering.report_export(
        report, language=language, file_format=format
    )
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
