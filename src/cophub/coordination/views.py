"""Pages of coordination (no JavaScript needed): meetings with their deadlines, documents and
registration, document submission, documents and liaison statements, the implementation view
and participation. Activities and reports are in ``report_views``, consultations with children
and young people in ``consultation_views``. The same services, selectors and access checks as
the API (``api.py``): pages never re-implement a rule."""

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cophub.accounts.access import AnyUser, user_is_bdt_staff
from cophub.accounts.models import User
from cophub.portal.errors import CopHubError
from cophub.portal.pages import form_errors_from, http_errors
from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.reference.models import Region
from cophub.resources.languages import language_name

from . import access, selectors, services
from .deadlines import meeting_deadlines
from .forms import (
    AttendanceForm,
    ClauseProgressForm,
    DocumentForm,
    MeetingUpdateForm,
    RegistrationForm,
    ReviseForm,
    VersionForm,
)
from .models import (
    ClauseProgress,
    Document,
    LiaisonStatement,
    Meeting,
    Registration,
    YouthConsultation,
)
from .participation import DEVELOPING_GROUPINGS

T = TypeVar("T")


def fetched(get: Callable[[], T]) -> T:
    """``get()``, with ``ObjectNotFound`` as a 404 and ``ActionForbidden`` as a 403."""
    try:
        return get()
    except CopHubError as error:
        http_errors(error)
        raise


def page_language(request: HttpRequest) -> str:
    language = get_language() or "en"
    return language if language in UI_LANGUAGE_CODES else "en"


def refused(request: HttpRequest, error: CopHubError) -> None:
    """An access error becomes 404/403; any other refusal is shown as a message."""
    http_errors(error)
    problems = [
        str(p.get("message")) for p in error.details.get("errors") or [] if p.get("message")
    ]
    messages.error(request, " ".join([str(error.message), *problems]))


# --- index ----------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    meetings = selectors.meeting_list()
    return render(
        request,
        "coordination/index.html",
        {
            "upcoming": meetings.filter(ends_on__gte=today).order_by("starts_on"),
            "past": meetings.filter(ends_on__lt=today).order_by("-starts_on")[:20],
            "consultations": YouthConsultation.objects.all(),
            "today": today,
            "is_secretariat": access.user_is_secretariat(request.user),
            "is_bdt_staff": user_is_bdt_staff(request.user),
        },
    )


# --- meetings -------------------------------------------------------------------------------


def version_rows(document: Document) -> list[dict[str, Any]]:
    return [
        {
            "language": version.language,
            "name": language_name(version.language),
            "number": document.number(version.language),
            "status": version.status,
            "status_label": version.get_status_display(),
            "has_file": bool(version.file),
        }
        for version in document.versions.all()
    ]


def _my_registration(user: AnyUser, meeting: Meeting) -> Registration | None:
    if not user.is_authenticated:
        return None
    return selectors.registrations(meeting).filter(user_id=user.pk).first()


def _may_register(user: AnyUser, meeting: Meeting, mine: Registration | None) -> bool:
    return bool(
        user.is_authenticated
        and user.organisation_id
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
    documents = selectors.documents_visible(user, meeting)
    context = {
        "meeting": meeting,
        "deadlines": meeting_deadlines(meeting, timezone.localdate()),
        "documents": [(document, version_rows(document)) for document in documents],
        "registration_open": services.meeting_registration_open(meeting),
        "my_registration": mine,
        "may_register": _may_register(user, meeting, mine),
        "may_submit": manager or bool(user.is_authenticated and user.organisation_id),
        "form": form or RegistrationForm(),
        "manager": manager,
        "registrations": selectors.registrations(meeting) if manager else [],
        "update_form": (update_form or MeetingUpdateForm.of(meeting)) if manager else None,
        "attendance_form": (attendance_form or AttendanceForm(meeting=meeting))
        if manager and started
        else None,
        "requested": Registration.Fellowship.REQUESTED,
        "submitted": Document.Status.SUBMITTED,
    }
    return render(request, "coordination/meeting.html", context)


@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = fetched(lambda: selectors.meeting_get(meeting_id))
    if request.method != "POST":
        return meeting_page(request, meeting)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            services.registration_create(
                user=request.user, meeting=meeting, data=form.data_for_service()
            )
        except CopHubError as error:
            http_errors(error)
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("You are registered for %(meeting)s.") % {"meeting": meeting}
            )
            return redirect("coordination:meeting", meeting_id=meeting.pk)
    return meeting_page(request, meeting, form)


@login_required
@require_POST
def fellowship_decide(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = get_object_or_404(Registration, pk=registration_id)
    granted = request.POST.get("granted") == "yes"
    try:
        services.fellowship_decide(
            user=cast(User, request.user), registration=registration, granted=granted
        )
    except CopHubError as error:
        refused(request, error)
    else:
        messages.success(
            request,
            _("The fellowship has been granted.")
            if granted
            else _("The fellowship has been refused."),
        )
    return redirect("coordination:meeting", meeting_id=registration.meeting_id)


# --- documents ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def document_submit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = cast(User, request.user)
    meeting = fetched(lambda: selectors.meeting_get(meeting_id))
    manager = access.user_manages_meeting(user, meeting)
    if not manager:
        fetched(lambda: access.require_delegate(user))
    form = DocumentForm(request.POST or None, request.FILES or None, manager=manager)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_submit(
                user=user,
                meeting=meeting,
                data=form.data_for_service(),
                upload=services.Upload.of(form.cleaned_data.get("file")),
            )
        except CopHubError as error:
            http_errors(error)
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("Your document has been registered as %(number)s.")
                % {"number": document.number()},
            )
            return redirect("coordination:document", document_id=document.pk)
    return render(
        request,
        "coordination/document_form.html",
        {
            "meeting": meeting,
            "form": form,
            "deadlines": meeting_deadlines(meeting, timezone.localdate()),
            "manager": manager,
        },
    )


def _visible_documents(user: AnyUser, documents: QuerySet[Document]) -> list[Document]:
    return [
        d for d in documents.select_related("meeting__body") if access.document_visible(user, d)
    ]


def _liaison_of(document: Document) -> LiaisonStatement | None:
    return cast(LiaisonStatement | None, getattr(document, "liaison", None))


def _thread(user: AnyUser, statement: LiaisonStatement) -> dict[str, Any]:
    reply_to = statement.reply_to
    replies = statement.replies.select_related("document__meeting__body")
    return {
        "reply_to": reply_to
        if reply_to is not None and access.document_visible(user, reply_to.document)
        else None,
        "replies": [r for r in replies if access.document_visible(user, r.document)],
    }


def addressee_rows(statement: LiaisonStatement) -> list[dict[str, str]]:
    labels = {
        "action": _("For action"),
        "comments": _("For comments"),
        "information": _("For information"),
    }
    return [
        {"body": entry["body"], "purpose": labels.get(entry["for"], entry["for"])}
        for entry in statement.addressees
    ]


def next_statuses(statement: LiaisonStatement) -> list[tuple[str, str]]:
    labels = dict(LiaisonStatement.Status.choices)
    allowed = services.LIAISON_NEXT.get(statement.status, set())
    return [
        (value, str(labels[value])) for value in LiaisonStatement.Status.values if value in allowed
    ]


def version_prefix(language: str) -> str:
    return f"version-{language}"


def version_forms(document: Document, bound: VersionForm | None) -> list[dict[str, Any]]:
    """One form per language version (each with its own field ids), set to its status."""
    entries = []
    for row in version_rows(document):
        form = (
            bound if bound is not None and bound.prefix == version_prefix(row["language"]) else None
        )
        entries.append(
            {
                **row,
                "form": form
                or VersionForm(
                    initial={"status": row["status"]}, prefix=version_prefix(row["language"])
                ),
            }
        )
    return entries


def may_revise(user: AnyUser, document: Document) -> bool:
    """The same people ``services.document_revise`` and ``document_withdraw`` accept."""
    return access.user_manages_meeting(user, document.meeting) or bool(
        user.is_authenticated and document.submitted_by_id == user.pk
    )


def document_page(
    request: HttpRequest,
    document: Document,
    *,
    version_form: VersionForm | None = None,
    revise_form: ReviseForm | None = None,
) -> HttpResponse:
    """The document; for the meeting's managers the language versions' forms, and for them
    or the submitter the forms to revise and withdraw it."""
    user = request.user
    statement = _liaison_of(document)
    manager = access.user_manages_meeting(user, document.meeting)
    revisable = may_revise(user, document)
    return render(
        request,
        "coordination/document.html",
        {
            "document": document,
            "versions": version_rows(document),
            "original_language": language_name(document.original_language),
            "related": _visible_documents(user, document.related.all()),
            "statement": statement,
            "thread": _thread(user, statement) if statement else None,
            "addressees": addressee_rows(statement) if statement else [],
            "next_statuses": next_statuses(statement) if statement else [],
            "manager": manager,
            "submitted": Document.Status.SUBMITTED,
            "version_forms": version_forms(document, version_form) if manager else [],
            "may_revise": revisable,
            "may_withdraw": revisable and document.status != Document.Status.WITHDRAWN,
            "revise_form": (
                revise_form
                or ReviseForm(
                    initial={"title": document.title, "abstract": document.abstract},
                    prefix="revise",
                )
            )
            if revisable
            else None,
        },
    )


@require_GET
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    document = fetched(lambda: selectors.document_get(request.user, document_id))
    return document_page(request, document)


def _back(request: HttpRequest, document: Document) -> HttpResponse:
    if request.POST.get("back") == "meeting":
        return redirect("coordination:meeting", meeting_id=document.meeting_id)
    return redirect("coordination:document", document_id=document.pk)


@login_required
@require_POST
def document_publish(request: HttpRequest, document_id: int) -> HttpResponse:
    user = cast(User, request.user)
    document = fetched(lambda: selectors.document_get(user, document_id))
    try:
        services.document_publish(user=user, document=document)
    except CopHubError as error:
        refused(request, error)
    else:
        messages.success(
            request, _("%(number)s has been published.") % {"number": document.number()}
        )
    return _back(request, document)


# --- liaison statements ---------------------------------------------------------------------


def managed_meetings(user: AnyUser) -> list[Meeting]:
    """The coming meetings ``user`` manages (to register liaison statements for)."""
    if not user.is_authenticated:
        return []
    coming = selectors.meeting_list().filter(ends_on__gte=timezone.localdate())
    return [m for m in coming.order_by("starts_on") if access.user_manages_meeting(user, m)]


@require_GET
def liaison_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "coordination/liaison_list.html",
        {
            "statements": selectors.liaison_visible(request.user),
            "managed_meetings": managed_meetings(request.user),
        },
    )


@login_required
@require_POST
def liaison_advance(request: HttpRequest, statement_id: int) -> HttpResponse:
    user = cast(User, request.user)
    statement = get_object_or_404(
        LiaisonStatement.objects.select_related("document__meeting"), pk=statement_id
    )
    fetched(lambda: access.access_document(user, statement.document))
    try:
        advanced = services.liaison_advance(
            user=user, statement=statement, status=request.POST.get("status", "")
        )
    except CopHubError as error:
        refused(request, error)
    else:
        messages.success(
            request,
            _("The liaison statement is now “%(status)s”.")
            % {"status": advanced.get_status_display()},
        )
    return redirect("coordination:document", document_id=statement.document_id)


# --- implementation and participation -------------------------------------------------------


def clause_prefix(clause: str) -> str:
    return f"clause-{clause}"


def _progress_form(row: dict[str, Any], bound: ClauseProgressForm | None) -> ClauseProgressForm:
    if bound is not None and bound.prefix == clause_prefix(row["clause"]):
        return bound
    fields = ("status", "progress", "timeline", "note")
    return ClauseProgressForm(
        initial={name: row[name] for name in fields}, prefix=clause_prefix(row["clause"])
    )


def implementation_page(
    request: HttpRequest, progress_form: ClauseProgressForm | None = None
) -> HttpResponse:
    """Every operative clause; BDT staff also get a form per clause to set its progress."""
    labels = dict(ClauseProgress.Status.choices)
    staff = user_is_bdt_staff(request.user)
    rows = [
        {
            **row,
            "status_label": row["status_label"] or labels[row["status"]],
            "form": _progress_form(row, progress_form) if staff else None,
        }
        for row in selectors.implementation_rows(page_language(request))
    ]
    return render(request, "coordination/implementation.html", {"rows": rows, "staff": staff})


@require_GET
def implementation(request: HttpRequest) -> HttpResponse:
    return implementation_page(request)


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
