"""A submission's page and the actions on it (POST, one ``action`` per form): attachments,
state changes, reviewer assignment, declarations, scores, notes, screening findings,
publication; and the moderation of readers' reports. The page itself is drawn by
``views.submission_page``."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cophub.accounts.models import User
from cophub.portal.api_auth import page_user
from cophub.portal.errors import CopHubError, ObjectNotFound
from cophub.portal.pages import page_errors

from . import access
from .forms import (
    AssignForm,
    AttachmentForm,
    DeclarationForm,
    NoteForm,
    ScoresForm,
    TransitionForm,
    form_errors_from,
)
from .models import ReaderReport, Submission
from .services import publication, review, submissions
from .views import submission_page

Action = Callable[[HttpRequest, User, Submission], HttpResponse | str]


def _attach(request: HttpRequest, user: User, submission: Submission) -> HttpResponse | str:
    submission = access.access_submission_for_edit(user, submission.reference)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return submission_page(request, submission, attachment_form=form)
    try:
        submissions.attachment_add(
            submission=submission, user=user, uploaded=form.cleaned_data["file"]
        )
    except CopHubError as error:
        if isinstance(error, ObjectNotFound):
            raise
        form_errors_from(form, error)
        return submission_page(request, submission, attachment_form=form)
    return _("The document has been attached.")


def _transition(request: HttpRequest, user: User, submission: Submission) -> HttpResponse | str:
    submission, actors = access.access_submission_for_transition(user, submission.reference)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        raise Http404
    submissions.submission_transition(
        submission=submission,
        user=user,
        target=form.cleaned_data["state"],
        actors=actors,
        answer=form.cleaned_data["answer"],
    )
    return _("The submission has moved on.")


def _assign(request: HttpRequest, user: User, submission: Submission) -> HttpResponse | str:
    submission = access.access_submission_for_staff(user, submission.reference)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return submission_page(request, submission, assign_form=form)
    review.reviewer_assign(submission=submission, reviewer=form.cleaned_data["reviewer"], by=user)
    return _("The reviewer has been assigned.")


def _declare(request: HttpRequest, user: User, submission: Submission) -> HttpResponse | str:
    assignment = access.access_assignment(user, submission.reference)
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        return submission_page(request, submission, declaration_form=form)
    review.conflict_declare(
        assignment=assignment,
        conflict=form.cleaned_data["conflict"],
        note=form.cleaned_data["note"],
    )
    return _("Your declaration has been recorded.")


def _score(request: HttpRequest, user: User, submission: Submission) -> HttpResponse | str:
    assignment = access.access_assignment_for_scoring(user, submission.reference)
    form = ScoresForm(request.POST)
    if not form.is_valid():
        return submission_page(request, submission, scores_form=form)
    review.scores_record(
        assignment=assignment, scores=form.scores(), comment=form.cleaned_data["comment"]
    )
    return _("Your scores have been recorded.")


def _note(request: HttpRequest, user: User, submission: Submission) -> HttpResponse | str:
    submission = access.access_notes(user, submission.reference)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return submission_page(request, submission, note_form=form)
    review.note_add(submission=submission, author=user, text=form.cleaned_data["text"])
    return _("The note has been added.")


def _resolve(request: HttpRequest, user: User, submission: Submission) -> HttpResponse | str:
    submission = access.access_submission_for_staff(user, submission.reference)
    finding = submission.findings.filter(pk=request.POST.get("finding") or 0).first()
    if finding is None:
        raise Http404
    review.finding_resolve(
        finding=finding, user=user, resolution=request.POST.get("resolution", "")
    )
    return _("The finding has been resolved.")


def _publish(request: HttpRequest, user: User, submission: Submission) -> HttpResponse | str:
    submission = access.access_submission_for_staff(user, submission.reference)
    publication.submission_publish(submission=submission, user=user)
    return _("The practice has been published to the resources hub.")


ACTIONS: dict[str, Action] = {
    "attach": _attach,
    "transition": _transition,
    "assign": _assign,
    "declare": _declare,
    "score": _score,
    "note": _note,
    "resolve": _resolve,
    "publish": _publish,
}


def submission_action(request: HttpRequest, submission: Submission) -> HttpResponse:
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        raise Http404
    # A refused action comes back to the submission page as a message, through the
    # ``page_errors`` of ``submission_detail`` (which posts here).
    result = action(request, page_user(request), submission)
    if isinstance(result, HttpResponse):
        return result
    messages.success(request, result)
    return redirect("practices:submission", reference=submission.reference)


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def submission_detail(request: HttpRequest, reference: str) -> HttpResponse:
    submission = access.access_submission(request.user, reference)
    if request.method == "POST":
        return submission_action(request, submission)
    return submission_page(request, submission)


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def reports(request: HttpRequest) -> HttpResponse:
    """Readers' reports for BDT staff: uphold (stays hidden) or dismiss (shown again)."""
    user = page_user(request)
    pending = access.access_reports_for_moderation(user)
    if request.method == "POST":
        report = access.access_report_for_moderation(user, int(request.POST.get("report") or 0))
        publication.report_resolve(
            report=report, user=user, decision=request.POST.get("decision", "")
        )
        messages.success(request, _("The report has been dealt with."))
        return redirect("practices:reports")
    return render(
        request,
        "practices/reports.html",
        {
            "reports": pending.filter(status=ReaderReport.Status.OPEN),
            "done": pending.exclude(status=ReaderReport.Status.OPEN)[:50],
        },
    )
