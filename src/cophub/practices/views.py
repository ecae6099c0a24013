"""Pages of the best-practice module (no JavaScript needed): calls, the submission form,
submissions with their history, and the public report form. Review actions are in
``review_views``. The same services and access checks as the API."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cophub.portal.api_auth import page_user
from cophub.portal.errors import ActionForbidden, CopHubError
from cophub.portal.pages import page_errors
from cophub.portal.paging import rows_page

from . import access, selectors
from .forms import (
    AssignForm,
    AttachmentForm,
    DeclarationForm,
    FindingForm,
    NoteForm,
    ReportForm,
    ScoresForm,
    SubmissionForm,
    TransitionForm,
    form_errors_from,
)
from .models import ReviewState, ReviewTransition, Submission
from .services import publication, submissions


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    page = rows_page(request, access.calls_visible_to(request.user), ordering=("-opens_at",))
    return render(
        request,
        "practices/index.html",
        {
            "page": page,
            "calls": page.rows,
            "may_review": access.user_may_review(request.user),
            "is_staff": access.user_manages_reviews(request.user),
        },
    )


@page_errors
@require_GET
def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    call = access.access_call(request.user, call_id)
    refusal = None
    if request.user.is_authenticated:
        try:
            access.access_call_for_submission(request.user, call_id)
        except ActionForbidden as refused:
            refusal = str(refused.message)
    return render(request, "practices/call_detail.html", {"call": call, "refusal": refusal})


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def submission_new(request: HttpRequest, call_id: int) -> HttpResponse:
    user = page_user(request)
    call = access.access_call_for_submission(user, call_id)
    form = SubmissionForm(
        request.POST or None, initial={"source_entity": getattr(user.organisation, "name", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = submissions.submission_create(call=call, author=user, data=form.changes())
        except CopHubError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("Your draft has been saved as %(reference)s.") % {"reference": created.reference},
            )
            return redirect("practices:submission", reference=created.reference)
    return render(request, "practices/submission_form.html", {"form": form, "call": call})


@login_required
@require_GET
def submission_list(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", "mine")
    if scope not in ("mine", "assigned", "all"):
        scope = "mine"
    submissions = selectors.submission_list(request.user, scope=scope)
    page = rows_page(request, submissions, ordering=("-created_at",))
    return render(
        request,
        "practices/submission_list.html",
        {
            "page": page,
            "submissions": page.rows,
            "scope": scope,
            "is_staff": access.user_manages_reviews(request.user),
        },
    )


def _transitions_for(user: Any, submission: Submission) -> list[ReviewState]:
    actors = access.submission_actors(user, submission)
    targets = ReviewTransition.objects.filter(
        source_id=submission.state_id, actor__in=actors
    ).values("target_id")
    return list(ReviewState.objects.filter(code__in=targets))


def submission_page(request: HttpRequest, submission: Submission, **forms: Any) -> HttpResponse:
    user = request.user
    is_staff = access.user_manages_reviews(user)
    assignment = submission.assignments.filter(reviewer_id=user.pk).first()
    context = {
        "submission": submission,
        "is_staff": is_staff,
        "is_author": access.user_is_author(user, submission),
        "may_edit": _may(access.access_submission_for_edit, user, submission),
        "transitions": _transitions_for(user, submission),
        "assignment": assignment,
        "assignments": submission.assignments.select_related("reviewer").prefetch_related("scores")
        if is_staff
        else [],
        "averages": selectors.scores_summary(submission) if is_staff else [],
        "notes": submission.notes.select_related("author")
        if access.user_may_read_notes(user, submission)
        else None,
        "versions": submission.versions.select_related("created_by"),
        "attachment_form": forms.get("attachment_form", AttachmentForm()),
        "transition_form": forms.get("transition_form", TransitionForm()),
        "assign_form": forms.get("assign_form", AssignForm()) if is_staff else None,
        "declaration_form": forms.get("declaration_form", DeclarationForm()),
        "scores_form": forms.get("scores_form", ScoresForm()),
        "note_form": forms.get("note_form", NoteForm()),
        "finding_form": FindingForm(),
    }
    return render(request, "practices/submission_detail.html", context)


def _may(check: Any, user: Any, submission: Submission) -> bool:
    try:
        check(user, submission.reference)
    except ActionForbidden:
        return False
    return True


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def submission_edit(request: HttpRequest, reference: str) -> HttpResponse:
    user = page_user(request)
    submission = access.access_submission_for_edit(user, reference)
    content = submissions.submission_content(submission)
    initial = {**content, "framework_items": ", ".join(content["framework_items"])}
    form = SubmissionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            submissions.submission_update(submission=submission, user=user, changes=form.changes())
        except CopHubError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("practices:submission", reference=reference)
    return render(
        request,
        "practices/submission_form.html",
        {"form": form, "submission": submission, "call": submission.call},
    )


@login_required
@page_errors
@require_GET
def version_diff(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    submission = access.access_submission(request.user, reference)
    diff = selectors.version_diff(submission, number)
    labels = {
        field.name: capfirst(field.verbose_name)
        for field in Submission._meta.get_fields()
        if hasattr(field, "verbose_name")
    }
    labels["attachments"] = _("Attachments")
    fields = [(labels.get(f.field, f.field), f.changes) for f in diff.fields]
    return render(
        request,
        "practices/version_diff.html",
        {"submission": submission, "diff": diff, "fields": fields},
    )


@login_required
@page_errors
@require_GET
def attachment_download(
    request: HttpRequest, reference: str, attachment_id: int
) -> HttpResponseBase:
    submission = access.access_submission(request.user, reference)
    attachment = submission.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@page_errors
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, reference: str) -> HttpResponse:
    """Anyone may report a published practice; it is hidden at once until moderated."""
    submission = access.access_published_submission(reference)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            publication.report_create(submission=submission, **form.cleaned_data)
        except CopHubError as error:
            form_errors_from(form, error)
        else:
            return render(request, "practices/report_done.html", {"submission": submission})
    return render(request, "practices/report_form.html", {"form": form, "submission": submission})
