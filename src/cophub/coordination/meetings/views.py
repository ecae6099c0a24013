"""Pages of meetings (no JavaScript needed): the meeting with its deadlines, documents and
registration; for its managers the registrations, fellowships, the agenda and outcome and
the attendance; creating a meeting (BDT staff); participation. The same services, selectors
and access checks as the API (``meetings/api.py``): pages never re-implement a rule."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cophub.accounts.access import AnyUser
from cophub.portal.api_auth import page_user
from cophub.portal.errors import CopHubError
from cophub.portal.pages import error_text, form_errors_from, page_errors
from cophub.portal.paging import rows_page
from cophub.reference.models import Region

from .. import access
from ..deadlines import meeting_deadlines
from ..participation import DEVELOPING_GROUPINGS
from . import selectors, services
from .forms import AttendanceForm, MeetingForm, MeetingUpdateForm, RegistrationForm
from .models import Meeting, Registration


def _my_registration(user: AnyUser, meeting: Meeting) -> Registration | None:
    if not user.is_authenticated:
        return None
    return selectors.registrations(meeting).filter(user_id=user.pk).first()


def _may_register(user: AnyUser, meeting: Meeting, mine: Registration | None) -> bool:
    return (
        access.user_is_delegate(user)
        and mine is None
        and services.meeting_registration_open(meeting)
    )


def meeting_page(
    request: HttpRequest,
    meeting: Meeting,
    form: RegistrationForm | None = None,
    *,
    update_form: MeetingUpdateForm | None = None,
    attendance_form: AttendanceForm | None = None,
) -> HttpResponse:
    """The meeting; for its managers also the registrations, the form to change the agenda,
    outcome, venue and vice-chairs and, from its first day, the attendance form."""
    user = request.user
    manager = access.user_manages_meeting(user, meeting)
    started = timezone.localdate() >= meeting.starts_on
    mine = _my_registration(user, meeting)
    # Paged (50 a page, in number order): a meeting may gather hundreds of documents.
    documents = rows_page(
        request,
        access.meeting_documents_visible_to(user, meeting)
        .select_related("meeting__body", "liaison")
        .prefetch_related("versions", "liaison__replies"),
        ordering=("seq", "revision", "pk"),
    )
    context = {
        "meeting": meeting,
        "deadlines": meeting_deadlines(meeting, timezone.localdate()),
        "documents": [(document, document.version_rows()) for document in documents.rows],
        "page": documents,
        "registration_open": services.meeting_registration_open(meeting),
        "my_registration": mine,
        "may_register": _may_register(user, meeting, mine),
        "may_submit": access.user_may_submit(user, meeting),
        "form": form or RegistrationForm(),
        "manager": manager,
        "registrations": selectors.registrations(meeting) if manager else [],
        "update_form": (update_form or MeetingUpdateForm.of(meeting)) if manager else None,
        "attendance_form": (attendance_form or AttendanceForm(meeting=meeting))
        if manager and started
        else None,
        "requested": Registration.Fellowship.REQUESTED,
    }
    return render(request, "coordination/meeting.html", context)


@require_http_methods(["GET", "POST"])
@page_errors
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    if request.method != "POST":
        return meeting_page(request, access.access_meeting(request.user, meeting_id))
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = page_user(request)
    meeting = access.access_meeting_for_register(user, meeting_id)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            services.registration_create(user=user, meeting=meeting, **form.service_args())
        except CopHubError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("You are registered for %(meeting)s.") % {"meeting": meeting}
            )
            return redirect("coordination:meeting", meeting_id=meeting.pk)
    return meeting_page(request, meeting, form)


@login_required
@require_POST
@page_errors
def fellowship_decide(request: HttpRequest, registration_id: int) -> HttpResponse:
    user = page_user(request)
    registration = access.access_registration_for_decide(user, registration_id)
    granted = request.POST.get("granted") == "yes"
    try:
        services.fellowship_decide(user=user, registration=registration, granted=granted)
    except CopHubError as error:  # no fellowship was requested: said on the meeting's page
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("The fellowship has been granted.")
            if granted
            else _("The fellowship has been refused."),
        )
    return redirect("coordination:meeting", meeting_id=registration.meeting_id)


@login_required
@require_http_methods(["GET", "POST"])
@page_errors
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    access.access_meetings_for_create(user)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(user=user, **form.service_args())
        except CopHubError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("The meeting %(meeting)s has been created.") % {"meeting": meeting}
            )
            return redirect("coordination:meeting", meeting_id=meeting.pk)
    return render(request, "coordination/meeting_form.html", {"form": form})


@login_required
@require_POST
@page_errors
def meeting_update(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = page_user(request)
    meeting = access.access_meeting_for_manage(user, meeting_id)
    form = MeetingUpdateForm(request.POST, prefix="manage")
    if form.is_valid():
        try:
            services.meeting_update(user=user, meeting=meeting, **form.service_args())
        except CopHubError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("coordination:meeting", meeting_id=meeting.pk)
    return meeting_page(request, meeting, update_form=form)


@login_required
@require_POST
@page_errors
def attendance_record(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = page_user(request)
    meeting = access.access_meeting_for_manage(user, meeting_id)
    form = AttendanceForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            count = services.attendance_record(
                user=user, meeting=meeting, attended_ids=form.attended_ids()
            )
        except CopHubError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s participant is recorded as present.",
                    "%(count)s participants are recorded as present.",
                    count,
                )
                % {"count": count},
            )
            return redirect("coordination:meeting", meeting_id=meeting.pk)
    return meeting_page(request, meeting, attendance_form=form)


def breakdown(rows: list[dict[str, Any]], key: str, columns: list[str]) -> list[dict[str, Any]]:
    """One row per meeting with the count in each column (zero when absent)."""
    return [
        {"name": row["name"], "counts": [row[key].get(column, 0) for column in columns]}
        for row in rows
    ]


def _region_columns(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    names = {region.code: region.name for region in Region.objects.all()}
    seen = {code for row in rows for code in row["by_region"]}
    columns = [(code, name) for code, name in names.items()]
    if "—" in seen:
        columns.append(("—", _("Unknown region")))
    return columns


@require_GET
def participation(request: HttpRequest) -> HttpResponse:
    rows = selectors.participation_rows(body="cwg-cop")
    for row in rows:
        share = row["developing_share"]
        row["developing_percent"] = None if share is None else round(100 * share, 1)
    regions = _region_columns(rows)
    groupings = list(DEVELOPING_GROUPINGS)
    return render(
        request,
        "coordination/participation.html",
        {
            "rows": rows,
            "regions": regions,
            "by_region": breakdown(rows, "by_region", [code for code, _name in regions]),
            "groupings": groupings,
            "by_grouping": breakdown(rows, "by_grouping", groupings),
        },
    )
