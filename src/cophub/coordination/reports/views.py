"""Pages of the secretariat's work: recording activities and reading the collected feed, and
the reports (compiling, reading in any of the six languages, editors' texts, approval). The
same services and access checks as the API."""

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cophub.portal.api_auth import page_user
from cophub.portal.errors import CopHubError
from cophub.portal.pages import error_text, form_errors_from, page_errors
from cophub.portal.paging import rows_page
from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.resources.languages import language_name
from cophub.resources.translation_status import STATUS_LABELS

from .. import access
from ..activities.forms import ActivityForm
from ..activities.services import activity_record
from ..pages import page_language
from . import rendering as report_rendering
from . import services as reports
from .collected import Period
from .forms import FeedForm, ReportApproveForm, ReportCompileForm, ReportTextForm
from .models import CollectedRecord, Report
from .selectors import FEED_ORDERING, feed_records, shown_on
from .summaries import summary_state
from .texts import section_keys

# --- activities -----------------------------------------------------------------------------

FEED_PAGE = 100  # records per page of the feed


def current_quarter(today: date) -> tuple[date, date]:
    first_month = 3 * ((today.month - 1) // 3) + 1
    start = date(today.year, first_month, 1)
    next_start = (
        date(today.year + 1, 1, 1) if first_month == 10 else date(today.year, first_month + 3, 1)
    )
    return start, next_start - timedelta(days=1)


def _feed_period(request: HttpRequest) -> tuple[FeedForm, Period | None]:
    start, end = current_quarter(timezone.localdate())
    if "start" not in request.GET:
        form = FeedForm(initial={"start": start, "end": end})
        return form, Period(start, end)
    form = FeedForm(request.GET)
    if not form.is_valid():
        return form, None
    region = form.cleaned_data.get("region")
    regions = frozenset({region}) if region else frozenset()
    return form, Period(form.cleaned_data["start"], form.cleaned_data["end"], regions)


def feed_rows(records: list[CollectedRecord]) -> list[dict[str, Any]]:
    labels = report_rendering.record_kind_labels()
    return [
        {
            "on": shown_on(record),
            "kind": labels.get(record.kind, record.kind),
            "title": record.title,
            "countries": ", ".join(record.countries),
            "clauses": ", ".join(record.clauses),
            "source": record.source,
        }
        for record in records
    ]


def _feed(request: HttpRequest, period: Period | None) -> dict[str, Any]:
    """One page of the period's records from the summaries, their number, and whether a
    change is still waiting for the refresh (decision 0041)."""
    if period is None:
        return {"rows": [], "page": None, "total": 0, "pending": False}
    records = feed_records(period)
    page = rows_page(request, records, ordering=FEED_ORDERING, page_size=FEED_PAGE)
    return {
        "rows": feed_rows(page.rows),
        "page": page,
        "total": records.count(),
        "pending": summary_state().pending,
    }


@login_required
@require_http_methods(["GET", "POST"])
@page_errors
def activities(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    access.access_feed_for_read(user)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        access.access_activities_for_record(user, form.cleaned_data.get("region") or None)
        try:
            activity = activity_record(user=user, **form.service_args())
        except CopHubError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("The activity “%(title)s” has been recorded.") % {"title": activity.title},
            )
            return redirect("coordination:activities")
    feed_form, period = _feed_period(request)
    return render(
        request,
        "coordination/activities.html",
        {"form": form, "feed_form": feed_form, "period": period, **_feed(request, period)},
    )


# --- reports --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@page_errors
def report_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    is_secretariat = access.user_is_secretariat(user)
    form = ReportCompileForm(request.POST or None) if is_secretariat else None
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form is None:  # not the secretariat: forbidden, as in the API (nothing is hidden)
            access.access_reports_for_compile(user, [])
        if form is not None and form.is_valid():
            access.access_reports_for_compile(user, form.cleaned_data.get("regions") or [])
            try:
                report = reports.report_compile(user=page_user(request), **form.service_args())
            except CopHubError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("The draft report has been compiled."))
                return redirect("coordination:report", report_id=report.pk)
    page = rows_page(
        request,
        access.report_rows_visible_to(user),
        ordering=("-period_end", "-created_at", "-pk"),
    )
    return render(
        request,
        "coordination/report_list.html",
        {"reports": page.rows, "page": page, "form": form},
    )


def report_language(request: HttpRequest) -> str:
    chosen = request.GET.get("lang", "")
    return chosen if chosen in UI_LANGUAGE_CODES else page_language(request)


def section_labels() -> list[tuple[str, str]]:
    names = {"summary": _("Summary"), "action_required": _("Action required")}
    return [(key, names.get(key, key)) for key in section_keys()]


def translation_rows(report: Report) -> list[dict[str, Any]]:
    rows = []
    for key, label in section_labels():
        cells = []
        for language in UI_LANGUAGE_CODES:
            status = reports.text_status(report, key, language)
            cells.append(
                {"language": language, "status": status.value, "label": STATUS_LABELS[status]}
            )
        rows.append({"section": key, "label": label, "cells": cells})
    return rows


def text_prefix(section: str) -> str:
    return f"text-{section}"


def _text_forms(report: Report, bound: ReportTextForm | None) -> list[dict[str, Any]]:
    """One form per section (each with its own field ids), prefilled with the source text."""
    source_language = report.editor_texts.get("source_language", "en")
    texts = report.editor_texts.get("sections", {})
    forms = []
    for key, label in section_labels():
        form = bound if bound is not None and bound.prefix == text_prefix(key) else None
        if form is None:
            current = texts.get(key, {}).get(source_language, {}).get("text", "")
            form = ReportTextForm(
                initial={"language": source_language, "text": current}, prefix=text_prefix(key)
            )
        forms.append({"section": key, "label": label, "form": form})
    return forms


PAGE_RECORDS = 200


def report_page(
    request: HttpRequest,
    report: Report,
    *,
    text_form: ReportTextForm | None = None,
    approve_form: ReportApproveForm | None = None,
) -> HttpResponse:
    user = request.user
    language = report_language(request)
    editable = access.user_may_edit_report(user, report) and report.status == Report.Status.DRAFT
    view = report_rendering.report_view(report, language)
    clause = request.GET.get("clause", "")
    records = view.records
    if clause:
        records = [line for line in records if clause in line.clauses]
    context = {
        "report": report,
        "view": view,
        # The records annex, bounded on the page (the exports list every record).
        "records_clause": clause,
        "records_total": len(records),
        "records_shown": records[:PAGE_RECORDS],
        "language": language,
        "languages": [(code, language_name(code)) for code in UI_LANGUAGE_CODES],
        "editable": editable,
        "text_forms": _text_forms(report, text_form) if editable else [],
        "translation_rows": translation_rows(report) if editable else [],
        "may_approve": editable and access.user_may_approve_reports(user),
        "approve_form": approve_form or ReportApproveForm(),
    }
    return render(request, "coordination/report.html", context)


@require_http_methods(["GET"])
@page_errors
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    return report_page(request, access.access_report(request.user, report_id))


def _refused(request: HttpRequest, report: Report, error: CopHubError) -> HttpResponse:
    """A refusal not about a field (an approved report): a message on the report's page."""
    messages.error(request, error_text(error))
    return redirect("coordination:report", report_id=report.pk)


@login_required
@require_POST
@page_errors
def report_text(request: HttpRequest, report_id: int) -> HttpResponse:
    user = page_user(request)
    report = access.access_report_for_edit(user, report_id)
    section = request.POST.get("section", "")
    form = ReportTextForm(request.POST, prefix=text_prefix(section))
    if form.is_valid():
        try:
            reports.report_text_set(user=user, report=report, section=section, **form.cleaned_data)
        except CopHubError as error:
            if not error.details.get("errors"):
                return _refused(request, report, error)
            form_errors_from(form, error)
        else:
            messages.success(request, _("The text has been saved."))
            return redirect("coordination:report", report_id=report.pk)
    return report_page(request, report, text_form=form)


@login_required
@require_POST
@page_errors
def report_approve(request: HttpRequest, report_id: int) -> HttpResponse:
    user = page_user(request)
    report = access.access_report_for_approve(user, report_id)
    form = ReportApproveForm(request.POST)
    if form.is_valid():
        meeting = form.cleaned_data.get("meeting")
        try:
            reports.report_approve(
                user=user, report=report, meeting_id=meeting.pk if meeting else None
            )
        except CopHubError as error:
            if not error.details.get("errors"):
                return _refused(request, report, error)
            form_errors_from(form, error)
        else:
            messages.success(request, _("The report has been approved and numbered."))
            return redirect("coordination:report", report_id=report.pk)
    return report_page(request, report, approve_form=form)
