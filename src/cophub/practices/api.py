"""The best-practice API: calls for submissions and submissions (see ``api_review`` for
review, screening, publication and reports). Same services and access checks as the pages."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import File, Router, Status, UploadedFile

from cophub.portal.api_auth import AUTHENTICATED, api_user
from cophub.portal.paging import keyset_paginate

from . import access, selectors
from .api_schemas import (
    AttachmentOut,
    CallIn,
    CallOut,
    ChangeOut,
    DiffOut,
    FieldDiffOut,
    PhaseIn,
    SubmissionIn,
    SubmissionOut,
    SubmissionPatch,
    SubmissionSummary,
    TransitionIn,
    VersionOut,
    call_out,
    submission_out,
)
from .models import Call, Submission, SubmissionVersion
from .services import calls, submissions

router = Router(tags=["practices"])


@router.get("/calls", response=list[CallOut])
@keyset_paginate(ordering=("-opens_at", "-pk"), row=call_out)
def call_list(request: HttpRequest) -> QuerySet[Call]:
    """Calls for submissions (announced calls only for BDT staff), newest first."""
    return access.calls_visible_to(request.user)


@router.get("/calls/{call_id}", response=CallOut)
def call_detail(request: HttpRequest, call_id: int) -> CallOut:
    return call_out(access.access_call(request.user, call_id))


@router.post("/calls", response={201: CallOut}, auth=AUTHENTICATED)
def call_create(request: HttpRequest, payload: CallIn) -> Status[CallOut]:
    """BDT staff open a call, optionally for one region."""
    user = api_user(request)
    access.access_calls_for_management(user)
    call = calls.call_create(user=user, **payload.model_dump())
    return Status(201, call_out(call))


@router.post("/calls/{call_id}/phase", response=CallOut, auth=AUTHENTICATED)
def call_phase(request: HttpRequest, call_id: int, payload: PhaseIn) -> CallOut:
    """Move a call forward: announced → open → review → publication."""
    call = access.access_call_for_management(api_user(request), call_id)
    return call_out(calls.call_phase_set(call=call, phase=payload.phase))


def _summary(s: Submission) -> SubmissionSummary:
    return SubmissionSummary(
        reference=s.reference,
        title=s.title,
        state=s.state_id,
        category=s.category_id,
        call=s.call_id,
        original_language=s.original_language,
    )


@router.get("/submissions", response=list[SubmissionSummary], auth=AUTHENTICATED)
@keyset_paginate(ordering=("-created_at", "-pk"), row=_summary)
def submission_list(
    request: HttpRequest, scope: str = "all", state: str | None = None
) -> QuerySet[Submission]:
    """``scope``: ``mine``, ``assigned`` or ``all`` (what you may see: your own, those you
    review, everything for BDT staff); newest first."""
    return selectors.submission_list(api_user(request), scope=scope, state=state)


def _full(reference: str) -> SubmissionOut:
    submission = (
        Submission.objects.select_related("state", "published_page")
        .prefetch_related("clauses", "attachments", "findings")
        .get(reference=reference)
    )
    return submission_out(submission)


@router.post("/submissions", response={201: SubmissionOut}, auth=AUTHENTICATED)
def submission_create(request: HttpRequest, payload: SubmissionIn) -> Status[SubmissionOut]:
    """Start a draft in an open call (members of eligible organisations)."""
    user = api_user(request)
    call = access.access_call_for_submission(user, payload.call)
    data = payload.model_dump(exclude={"call"})
    created = submissions.submission_create(call=call, author=user, data=data)
    return Status(201, _full(created.reference))


@router.get("/submissions/{reference}", response=SubmissionOut, auth=AUTHENTICATED)
def submission_detail(request: HttpRequest, reference: str) -> SubmissionOut:
    return _full(access.access_submission(api_user(request), reference).reference)


@router.patch("/submissions/{reference}", response=SubmissionOut, auth=AUTHENTICATED)
def submission_patch(
    request: HttpRequest, reference: str, payload: SubmissionPatch
) -> SubmissionOut:
    """Edit (authors: while a draft or accepted with changes). Every change is a version."""
    user = api_user(request)
    submission = access.access_submission_for_edit(user, reference)
    submissions.submission_update(
        submission=submission, user=user, changes=payload.model_dump(exclude_unset=True)
    )
    return _full(reference)


@router.post(
    "/submissions/{reference}/attachments", response={201: AttachmentOut}, auth=AUTHENTICATED
)
def attachment_add(
    request: HttpRequest, reference: str, file: File[UploadedFile]
) -> Status[AttachmentOut]:
    """Documents only (PDF, Office, OpenDocument, text); images and documents with embedded
    pictures are refused; e-mail addresses and phone numbers found are flagged."""
    user = api_user(request)
    submission = access.access_submission_for_edit(user, reference)
    attachment = submissions.attachment_add(submission=submission, user=user, uploaded=file)
    return Status(
        201,
        AttachmentOut(
            id=attachment.pk,
            name=attachment.original_name,
            size=attachment.size,
            sha256=attachment.sha256,
        ),
    )


@router.post("/submissions/{reference}/transition", response=SubmissionOut, auth=AUTHENTICATED)
def submission_transition(
    request: HttpRequest, reference: str, payload: TransitionIn
) -> SubmissionOut:
    """Authors submit or withdraw; BDT staff screen, evaluate and decide (with ``answer``)."""
    user = api_user(request)
    submission, actors = access.access_submission_for_transition(user, reference)
    submissions.submission_transition(
        submission=submission, user=user, target=payload.state, actors=actors, answer=payload.answer
    )
    return _full(reference)


def _version(v: SubmissionVersion) -> VersionOut:
    return VersionOut(
        number=v.number,
        created_at=v.created_at,
        created_by=v.created_by.get_username() if v.created_by else None,
    )


@router.get("/submissions/{reference}/versions", response=list[VersionOut], auth=AUTHENTICATED)
@keyset_paginate(ordering=("number",), row=_version)
def version_list(request: HttpRequest, reference: str) -> QuerySet[SubmissionVersion]:
    submission = access.access_submission(api_user(request), reference)
    return submission.versions.select_related("created_by")


@router.get("/submissions/{reference}/versions/{number}/diff", response=DiffOut, auth=AUTHENTICATED)
def version_diff(request: HttpRequest, reference: str, number: int) -> DiffOut:
    """What version ``number`` changed against the version before it."""
    submission = access.access_submission(api_user(request), reference)
    diff = selectors.version_diff(submission, number)
    return DiffOut(
        number=diff.version.number,
        previous=diff.previous.number if diff.previous else None,
        fields=[
            FieldDiffOut(
                field=f.field, changes=[ChangeOut(op=c.op, text=c.text) for c in f.changes]
            )
            for f in diff.fields
        ],
    )


def _register_subrouters() -> None:
    from .api_review import router as review_router

    router.add_router("", review_router)


_register_subrouters()
