"""The best-practice API, review side: reviewer assignment and declarations, scores, internal
notes, screening findings, publication to the hub, and readers' reports."""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from cophub.accounts.models import User
from cophub.portal.api_auth import AUTHENTICATED, api_user
from cophub.portal.errors import InvalidInput, ObjectNotFound
from cophub.portal.paging import keyset_paginate

from . import access, selectors
from .api_schemas import (
    AssignIn,
    AssignmentOut,
    DeclarationIn,
    ModerateIn,
    NoteIn,
    NoteOut,
    PublishOut,
    ReportIn,
    ReportOut,
    ResolveFindingIn,
    ReviewOut,
    ScoresIn,
)
from .models import InternalNote, ReaderReport, ReviewerAssignment
from .services import publication, review

router = Router(tags=["practices"])


def _assignment_out(assignment: ReviewerAssignment) -> AssignmentOut:
    return AssignmentOut(
        reviewer=assignment.reviewer.get_username(),
        conflict=assignment.conflict,
        conflict_note=assignment.conflict_note,
        scores={s.criterion_id: s.value for s in assignment.scores.all()},
        comment=assignment.comment,
    )


@router.get("/submissions/{reference}/review", response=ReviewOut, auth=AUTHENTICATED)
def review_detail(request: HttpRequest, reference: str) -> ReviewOut:
    """BDT staff see every assignment; a reviewer sees their own."""
    user = api_user(request)
    submission = access.access_submission(user, reference)
    assignments = submission.assignments.select_related("reviewer").prefetch_related("scores")
    if access.user_manages_reviews(user):
        shown = list(assignments)
    else:
        shown = [access.access_assignment(user, reference)]
    return ReviewOut(
        assignments=[_assignment_out(a) for a in shown],
        averages={row.criterion.code: row.average for row in selectors.scores_summary(submission)}
        if access.user_manages_reviews(user)
        else {},
    )


@router.post(
    "/submissions/{reference}/assignments", response={201: AssignmentOut}, auth=AUTHENTICATED
)
def assignment_create(
    request: HttpRequest, reference: str, payload: AssignIn
) -> Status[AssignmentOut]:
    user = api_user(request)
    submission = access.access_submission_for_staff(user, reference)
    reviewer = User.objects.filter(username=payload.reviewer).first()
    if reviewer is None:
        message = _("No user is called %(name)s.") % {"name": payload.reviewer}
        raise InvalidInput(details={"errors": [{"field": "reviewer", "message": message}]})
    assignment = review.reviewer_assign(submission=submission, reviewer=reviewer, by=user)
    return Status(201, _assignment_out(assignment))


@router.post("/submissions/{reference}/declaration", response=AssignmentOut, auth=AUTHENTICATED)
def declaration(request: HttpRequest, reference: str, payload: DeclarationIn) -> AssignmentOut:
    """The assigned reviewer declares whether they have a conflict of interest."""
    assignment = access.access_assignment(api_user(request), reference)
    review.conflict_declare(assignment=assignment, conflict=payload.conflict, note=payload.note)
    return _assignment_out(assignment)


@router.put("/submissions/{reference}/scores", response=AssignmentOut, auth=AUTHENTICATED)
def scores(request: HttpRequest, reference: str, payload: ScoresIn) -> AssignmentOut:
    """Score every criterion of the rubric, 0 to its maximum (4)."""
    assignment = access.access_assignment_for_scoring(api_user(request), reference)
    review.scores_record(assignment=assignment, scores=payload.scores, comment=payload.comment)
    return _assignment_out(assignment)


def _note(n: InternalNote) -> NoteOut:
    return NoteOut(
        author=n.author.get_username() if n.author else None,
        text=n.text,
        created_at=n.created_at,
    )


@router.get("/submissions/{reference}/notes", response=list[NoteOut], auth=AUTHENTICATED)
@keyset_paginate(ordering=("created_at",), row=_note)
def note_list(request: HttpRequest, reference: str) -> QuerySet[InternalNote]:
    """Internal notes: BDT staff and reviewers without conflict only, never the author."""
    submission = access.access_notes(api_user(request), reference)
    return submission.notes.select_related("author")


@router.post("/submissions/{reference}/notes", response={201: NoteOut}, auth=AUTHENTICATED)
def note_create(request: HttpRequest, reference: str, payload: NoteIn) -> Status[NoteOut]:
    user = api_user(request)
    submission = access.access_notes(user, reference)
    note = review.note_add(submission=submission, author=user, text=payload.text)
    return Status(
        201, NoteOut(author=user.get_username(), text=note.text, created_at=note.created_at)
    )


@router.post(
    "/submissions/{reference}/findings/{finding_id}/resolve",
    response={204: None},
    auth=AUTHENTICATED,
)
def finding_resolve(
    request: HttpRequest, reference: str, finding_id: int, payload: ResolveFindingIn
) -> Status[None]:
    user = api_user(request)
    submission = access.access_submission_for_staff(user, reference)
    finding = submission.findings.filter(pk=finding_id).first()
    if finding is None:
        raise ObjectNotFound()
    review.finding_resolve(finding=finding, user=user, resolution=payload.resolution)
    return Status(204, None)


@router.post("/submissions/{reference}/publish", response={201: PublishOut}, auth=AUTHENTICATED)
def publish(request: HttpRequest, reference: str) -> Status[PublishOut]:
    """Publish an accepted submission to the resources hub (call in its publication phase)."""
    user = api_user(request)
    submission = access.access_submission_for_staff(user, reference)
    page = publication.submission_publish(submission=submission, user=user)
    return Status(201, PublishOut(reference=reference, url=page.url or ""))


def _report_out(report: ReaderReport) -> ReportOut:
    return ReportOut(
        id=report.pk,
        submission=report.submission.reference,
        reason=report.reason,
        message=report.message,
        status=report.status,
        created_at=report.created_at,
    )


@router.post("/published/{reference}/reports", response={201: ReportOut})
def report_create(request: HttpRequest, reference: str, payload: ReportIn) -> Status[ReportOut]:
    """Anyone may report a published practice; it is hidden until moderated. Nothing about
    the reporter is kept."""
    submission = access.access_published_submission(reference)
    report = publication.report_create(
        submission=submission, reason=payload.reason, message=payload.message
    )
    return Status(201, _report_out(report))


@router.get("/reports", response=list[ReportOut], auth=AUTHENTICATED)
@keyset_paginate(ordering=("-created_at", "-pk"), row=_report_out)
def report_list(request: HttpRequest, status: str | None = None) -> QuerySet[ReaderReport]:
    """Readers' reports, newest first."""
    reports = access.access_reports_for_moderation(api_user(request))
    if status:
        reports = reports.filter(status=status)
    return reports


@router.post("/reports/{report_id}/moderate", response=ReportOut, auth=AUTHENTICATED)
def report_moderate(request: HttpRequest, report_id: int, payload: ModerateIn) -> ReportOut:
    """``upheld`` keeps the practice hidden; ``dismissed`` shows it again."""
    user = api_user(request)
    report = access.access_report_for_moderation(user, report_id)
    return _report_out(
        publication.report_resolve(report=report, user=user, decision=payload.decision)
    )
