"""Pages of the document register (no JavaScript needed): submitting a document, the
document with its language versions (and, for a liaison statement, its thread), and for
the meeting's managers or the submitter publishing, revising, withdrawing and the language
versions' files."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cophub.accounts.access import AnyUser
from cophub.portal.api_auth import page_user
from cophub.portal.errors import CopHubError
from cophub.portal.pages import error_text, form_errors_from, page_errors
from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.resources.languages import language_name

from .. import access
from ..deadlines import meeting_deadlines
from . import services
from .forms import DocumentForm, ReviseForm, VersionForm
from .models import Document


@login_required
@require_http_methods(["GET", "POST"])
@page_errors
def document_submit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = page_user(request)
    meeting = access.access_meeting_for_submit(user, meeting_id)
    manager = access.user_manages_meeting(user, meeting)
    form = DocumentForm(request.POST or None, request.FILES or None, manager=manager)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_submit(
                user=user,
                meeting=meeting,
                **form.service_args(),
                upload=services.Upload.of(form.cleaned_data.get("file")),
                as_manager=manager,
            )
        except CopHubError as error:
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


def _liaison_of(document: Document) -> Any:
    """The liaison statement the document carries, if any (``liaison`` builds on documents,
    so its model is not imported here)."""
    return getattr(document, "liaison", None)


def _thread(user: AnyUser, statement: Any) -> dict[str, Any]:
    reply_to = statement.reply_to
    replies = statement.replies.select_related("document__meeting__body")
    return {
        "reply_to": reply_to
        if reply_to is not None and access.document_visible(user, reply_to.document)
        else None,
        "replies": [r for r in replies if access.document_visible(user, r.document)],
    }


def version_prefix(language: str) -> str:
    return f"version-{language}"


def version_forms(document: Document, bound: VersionForm | None) -> list[dict[str, Any]]:
    """One form per language version (each with its own field ids), set to its status."""
    entries = []
    for row in document.version_rows():
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
    revisable = access.user_may_revise_document(user, document)
    return render(
        request,
        "coordination/document.html",
        {
            "document": document,
            "versions": document.version_rows(),
            "original_language": language_name(document.original_language),
            "related": access.visible_documents(
                user, document.related.select_related("meeting__body")
            ),
            "statement": statement,
            "thread": _thread(user, statement) if statement else None,
            "addressees": statement.addressee_rows() if statement else [],
            "next_statuses": statement.next_statuses() if statement else [],
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
@page_errors
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    return document_page(request, access.access_document(request.user, document_id))


def _back(request: HttpRequest, document: Document) -> HttpResponse:
    if request.POST.get("back") == "meeting":
        return redirect("coordination:meeting", meeting_id=document.meeting_id)
    return redirect("coordination:document", document_id=document.pk)


@login_required
@require_POST
@page_errors
def document_publish(request: HttpRequest, document_id: int) -> HttpResponse:
    user = page_user(request)
    document = access.access_document_for_manage(user, document_id)
    try:
        services.document_publish(user=user, document=document)
    except CopHubError as error:  # not submitted (any more): said on the page it came from
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("%(number)s has been published.") % {"number": document.number()}
        )
    return _back(request, document)


@login_required
@require_POST
@page_errors
def version_set(request: HttpRequest, document_id: int) -> HttpResponse:
    user = page_user(request)
    document = access.access_document_for_manage(user, document_id)
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
@page_errors
def document_revise(request: HttpRequest, document_id: int) -> HttpResponse:
    user = page_user(request)
    document = access.access_document_for_revise(user, document_id)
    form = ReviseForm(request.POST, request.FILES, prefix="revise")
    if form.is_valid():
        try:
            revised = services.document_revise(
                user=user,
                document=document,
                **form.service_args(),
                upload=services.Upload.of(form.cleaned_data.get("file")),
            )
        except CopHubError as error:
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
@page_errors
def document_withdraw(request: HttpRequest, document_id: int) -> HttpResponse:
    user = page_user(request)
    document = access.access_document_for_revise(user, document_id)
    services.document_withdraw(user=user, document=document)
    messages.success(request, _("%(number)s has been withdrawn.") % {"number": document.number()})
    return redirect("coordination:document", document_id=document.pk)
