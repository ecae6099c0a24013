"""Pages of the secretariat's actions on meetings and documents (no JavaScript needed):
creating a meeting, changing it and recording attendance, registering liaison statements,
language versions, revisions and withdrawals, clause progress and partners. Each calls the
same service as the API (``api.py``): the rules and the access checks are the services'."""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from cophub.accounts.access import user_is_bdt_staff
from cophub.accounts.models import User
from cophub.portal.errors import ActionForbidden, CopHubError
from cophub.portal.pages import form_errors_from, http_errors
from cophub.reference.languages import UI_LANGUAGE_CODES

from . import access, selectors, services
from .forms import (
    AttendanceForm,
    ClauseProgressForm,
    LiaisonForm,
    MeetingForm,
    MeetingUpdateForm,
    PartnerForm,
    ReviseForm,
    VersionForm,
    errors_renamed,
)
from .models import Partner
from .views import (
    clause_prefix,
    document_page,
    fetched,
    implementation_page,
    meeting_page,
    refused,
    version_prefix,
)

# --- meetings -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if not user_is_bdt_staff(user):
        raise Http404  # like the secretariat's other pages, it does not exist for others
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(user=user, data=form.data_for_service())
        except CopHubError as error:
            http_errors(error)
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("The meeting %(meeting)s has been created.") % {"meeting": meeting}
            )
            return redirect("coordination:meeting", meeting_id=meeting.pk)
    return render(request, "coordination/meeting_form.html", {"form": form})


@login_required
@require_POST
def meeting_update(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = cast(User, request.user)
    meeting = fetched(lambda: selectors.meeting_get(meeting_id))
    form = MeetingUpdateForm(request.POST, prefix="manage")
    if form.is_valid():
        try:
            services.meeting_update(user=user, meeting=meeting, data=form.data_for_service())
        except CopHubError as error:
            http_errors(error)
            form_errors_from(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("coordination:meeting", meeting_id=meeting.pk)
    fetched(lambda: access.require_meeting_manager(user, meeting))
    return meeting_page(request, meeting, update_form=form)


@login_required
@require_POST
def attendance_record(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = cast(User, request.user)
    meeting = fetched(lambda: selectors.meeting_get(meeting_id))
    fetched(lambda: access.require_meeting_manager(user, meeting))
    form = AttendanceForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            count = services.attendance_record(
                user=user, meeting=meeting, attended_ids=form.attended_ids()
            )
        except CopHubError as error:
            http_errors(error)
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


# --- liaison statements ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def liaison_create(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = cast(User, request.user)
    meeting = fetched(lambda: selectors.meeting_get(meeting_id))
    fetched(lambda: access.require_meeting_manager(user, meeting))
    form = LiaisonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            statement = services.liaison_create(
                user=user, meeting=meeting, data=form.data_for_service()
            )
        except CopHubError as error:
            http_errors(error)
            form_errors_from(form, errors_renamed(error, form.field_for))
        else:
            messages.success(
                request,
                _("The liaison statement has been registered as %(number)s.")
                % {"number": statement.document.number()},
            )
            return redirect("coordination:document", document_id=statement.document_id)
    return render(request, "coordination/liaison_form.html", {"meeting": meeting, "form": form})


# --- documents ------------------------------------------------------------------------------


@login_required
@require_POST
def version_set(request: HttpRequest, document_id: int) -> HttpResponse:
    user = cast(User, request.user)
    document = fetched(lambda: selectors.document_get(user, document_id))
    fetched(lambda: access.require_meeting_manager(user, document.meeting))
    language = request.POST.get("language", "")
    if language not in UI_LANGUAGE_CODES:
        raise Http404
    form = VersionForm(request.POST, request.FILES, prefix=version_prefix(language))
    if form.is_valid():
        try:
            services.version_set(
                user=user,
                document=document,
                language=language,
                status=form.cleaned_data["status"],
                upload=services.Upload.of(form.cleaned_data.get("file")),
            )
        except CopHubError as error:
            http_errors(error)
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("%(number)s has been saved.") % {"number": document.number(language)},
            )
            return redirect("coordination:document", document_id=document.pk)
    return document_page(request, document, version_form=form)


@login_required
@require_POST
def document_revise(request: HttpRequest, document_id: int) -> HttpResponse:
    user = cast(User, request.user)
    document = fetched(lambda: selectors.document_get(user, document_id))
    form = ReviseForm(request.POST, request.FILES, prefix="revise")
    if form.is_valid():
        try:
            revised = services.document_revise(
                user=user,
                document=document,
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
                % {"number": revised.number()},
            )
            return redirect("coordination:document", document_id=revised.pk)
    return document_page(request, document, revise_form=form)


@login_required
@require_POST
def document_withdraw(request: HttpRequest, document_id: int) -> HttpResponse:
    user = cast(User, request.user)
    document = fetched(lambda: selectors.document_get(user, document_id))
    try:
        services.document_withdraw(user=user, document=document)
    except CopHubError as error:
        refused(request, error)
    else:
        messages.success(
            request, _("%(number)s has been withdrawn.") % {"number": document.number()}
        )
    return redirect("coordination:document", document_id=document.pk)


# --- implementation -------------------------------------------------------------------------


@login_required
@require_POST
def clause_progress_set(request: HttpRequest, clause_id: str) -> HttpResponse:
    user = cast(User, request.user)
    form = ClauseProgressForm(request.POST, prefix=clause_prefix(clause_id))
    if form.is_valid():
        try:
            services.clause_progress_set(user=user, clause_id=clause_id, data=form.cleaned_data)
        except CopHubError as error:
            http_errors(error)
            form_errors_from(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(f"{reverse('coordination:implementation')}#clause-{clause_id}")
    if not user_is_bdt_staff(user):
        http_errors(ActionForbidden())
    return implementation_page(request, progress_form=form)


# --- partners -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def partner_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PartnerForm(request.POST or None) if access.user_is_secretariat(user) else None
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        fetched(lambda: access.require_secretariat(user))
        if form is not None and form.is_valid():
            try:
                partner = services.partner_save(user=user, data=form.data_for_service())
            except CopHubError as error:
                http_errors(error)
                form_errors_from(form, errors_renamed(error, form.field_for))
            else:
                messages.success(
                    request, _("The partner “%(name)s” has been saved.") % {"name": partner.name}
                )
                return redirect("coordination:partners")
    rows = selectors.partner_rows()
    kinds = dict(Partner.Kind.choices)
    for row in rows:
        row["kind_label"] = kinds.get(row["kind"], row["kind"])
    return render(request, "coordination/partners.html", {"rows": rows, "form": form})
