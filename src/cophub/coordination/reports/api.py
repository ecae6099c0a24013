"""The API of activities and the collected feed, and of reports (mounted under
``/api/v1/coordination/``)."""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from cophub.portal.api_auth import AUTHENTICATED, api_language, api_user
from cophub.portal.api_validation import RequiredText
from cophub.portal.errors import FieldErrors
from cophub.portal.paging import (
    CURSOR_HELP,
    NEXT_HELP,
    PREVIOUS_HELP,
    keyset_paginate,
    numbered_page,
)
from cophub.reference.languages import UI_LANGUAGE_CODES

from .. import access
from ..activities import services as activity_services
from ..activities.models import Activity
from . import rendering as report_rendering
from . import services as reports
from .annex import line_out, records_csv, report_lines
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
    """A clause's reading as compiled (empty where the secretariat had set none) and how
    many of the report's records serve it."""

    clause: str
    status: str | None
    progress: int | None
    timeline: str | None
    records: int


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
    records_count: int
    records: str = Field(description="Link to the records, paged (``clause=`` filters).")
    records_csv: str = Field(description="Link to every record as one CSV file.")
    clauses: list[ReportClauseOut]


class ReportRecordOut(Schema):
    """A record of the report's annex: numbered in date order, listed once."""

    number: int
    on: str
    kind: str
    kind_name: str
    title: str
    countries: list[str]
    clauses: list[str]
    source: str


RECORDS_PAGE, RECORDS_MAX = 50, 500


class ReportRecordsPage(Schema):
    previous: str | None = Field(..., description=PREVIOUS_HELP)
    next: str | None = Field(..., description=NEXT_HELP)
    results: list[ReportRecordOut]


class ReportRecordsQuery(Schema):
    clause: str = ""
    lang: str | None = None
    page_size: int = Field(
        RECORDS_PAGE,
        ge=1,
        le=RECORDS_MAX,
        description=f"Rows per page: {RECORDS_PAGE} unless given, at most {RECORDS_MAX}.",
    )
    cursor: str | None = Field(None, description=CURSOR_HELP)


class ReportTextsOut(Schema):
    id: int
    texts: dict[str, dict[str, str]]  # section -> language -> status


def records_links(request: HttpRequest, report: Report) -> tuple[str, str]:
    """The absolute links to a report's paged records and to its records file."""
    paged = reverse("api:coordination_report_records", kwargs={"report_id": report.pk})
    whole = reverse("api:coordination_report_records_csv", kwargs={"report_id": report.pk})
    return request.build_absolute_uri(paged), request.build_absolute_uri(whole)


def report_out(request: HttpRequest, report: Report) -> CoordinationReportOut:
    counts: dict[str, int] = {}
    for record in report.snapshot["records"]:
        for clause in record["clauses"]:
            counts[clause] = counts.get(clause, 0) + 1
    paged, whole = records_links(request, report)
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
        records_count=len(report.snapshot["records"]),
        records=paged,
        records_csv=whole,
        clauses=[
            ReportClauseOut(**clause, records=counts.get(clause["clause"], 0))
            for clause in report_rendering.report_clauses(report)
        ],
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
    return access.report_rows_visible_to(request.user)


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
    return Status(201, report_out(request, report))


@router.get("/reports/{report_id}", response=CoordinationReportOut)
def report_detail(request: HttpRequest, report_id: int) -> CoordinationReportOut:
    return report_out(request, access.access_report(request.user, report_id))


@router.get(
    "/reports/{report_id}/records",
    response=ReportRecordsPage,
    url_name="coordination_report_records",
)
def report_records(
    request: HttpRequest, report_id: int, query: Query[ReportRecordsQuery]
) -> dict[str, Any]:
    """The report's records (its annex), each once, in date order; ``clause=`` keeps those
    serving one clause. Paged by cursor: follow ``next``."""
    report = access.access_report(request.user, report_id)
    lines = report_lines(report, language=api_language(query.lang), clause=query.clause)
    page = numbered_page(
        lines,
        request=request,
        cursor=query.cursor,
        page_size=query.page_size,
        number=lambda line: line.number,
    )
    return {**page, "results": [line_out(line) for line in page["results"]]}


@router.get("/reports/{report_id}/records.csv", url_name="coordination_report_records_csv")
def report_records_csv(
    request: HttpRequest, report_id: int, lang: str | None = None
) -> StreamingHttpResponse:
    """Every record of the report as one CSV file (UTF-8; clauses and countries separated
    by spaces), streamed: the complete annex the DOCX and PDF cut after their first
    records."""
    report = access.access_report(request.user, report_id)
    lines = report_lines(report, language=api_language(lang))
    response = StreamingHttpResponse(records_csv(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="cophub-report-{report.pk}-records.csv"'
    )
    return response


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
    return report_out(request, report)


@router.get("/reports/{report_id}/export")
def report_export(
    request: HttpRequest, report_id: int, lang: str | None = None, format: str = "pdf"
) -> HttpResponse:
    report = access.access_report(request.user, report_id)
    # ``lang`` is checked with ``format`` (both named at once); absent, the request's language.
    language = api_language(None) if lang is None else lang
    content, media_type, name = report_rendering.report_export(
        report,
        language=language,
        file_format=format,
        records_url=f"{records_links(request, report)[1]}?lang={language}",
    )
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
