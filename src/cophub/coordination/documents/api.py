"""The API of the document register (mounted under ``/api/v1/coordination/``). A liaison
statement's document carries the statement, so its output (``liaison_out``) is here too."""

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import File, Form, Router, Schema, Status, UploadedFile

from cophub.portal.api_auth import AUTHENTICATED, api_user
from cophub.portal.api_validation import RequiredText
from cophub.portal.paging import keyset_paginate

from .. import access
from . import selectors, services
from .models import Document

router = Router()


OPTIONAL_FILE: Any = File(None)  # type: ignore[type-arg]  # a file that may be left out


class DocumentIn(Schema):
    kind: Document.Kind
    purpose: Document.Purpose
    title: RequiredText
    original_language: str
    abstract: str = ""
    action_required: str = ""
    source: str = ""
    country: str | None = None
    contact: str = ""
    seq: int | None = None


class ReviseIn(Schema):
    title: str | None = None
    abstract: str | None = None


class LiaisonStatementOut(Schema):
    id: int
    document: int
    subject: str
    origin: str
    origin_questions: str
    addressees: list[dict[str, str]]
    approval: str
    deadline: date | None
    contact: str
    status: str
    reply_to: int | None
    replies: list[int]
    sent_on: date | None


class DocumentVersionOut(Schema):
    language: str
    number: str
    status: str
    has_file: bool


class DocumentOut(Schema):
    id: int
    number: str
    meeting: int
    seq: int
    revision: int
    kind: str
    purpose: str
    title: str
    abstract: str
    action_required: str
    source: str
    country: str | None
    original_language: str
    timeliness: str
    status: str
    received_at: datetime
    published_at: datetime | None
    versions: list[DocumentVersionOut]
    liaison: LiaisonStatementOut | None = None  # only on a liaison statement's document


def document_out(document: Document) -> DocumentOut:
    liaison = getattr(document, "liaison", None)
    return DocumentOut(
        id=document.pk,
        number=document.number(),
        meeting=document.meeting_id,
        seq=document.seq,
        revision=document.revision,
        kind=document.kind,
        purpose=document.purpose,
        title=document.title,
        abstract=document.abstract,
        action_required=document.action_required,
        source=document.source,
        country=document.country_id,
        original_language=document.original_language,
        timeliness=document.timeliness,
        status=document.status,
        received_at=document.received_at,
        published_at=document.published_at,
        versions=[
            DocumentVersionOut(
                language=version.language,
                number=document.number(version.language),
                status=version.status,
                has_file=bool(version.file),
            )
            for version in document.versions.all()
        ],
        liaison=liaison_out(liaison) if liaison is not None else None,
    )


def liaison_out(statement: Any) -> LiaisonStatementOut:
    """A ``LiaisonStatement`` (not imported: ``liaison`` builds on documents)."""
    return LiaisonStatementOut(
        id=statement.pk,
        document=statement.document_id,
        subject=statement.subject,
        origin=statement.origin,
        origin_questions=statement.origin_questions,
        addressees=statement.addressees,
        approval=statement.approval,
        deadline=statement.deadline,
        contact=statement.contact,
        status=statement.status,
        reply_to=statement.reply_to_id,
        replies=[reply.pk for reply in statement.replies.all()],
        sent_on=statement.sent_on,
    )


@router.get("/meetings/{meeting_id}/documents", response=list[DocumentOut])
@keyset_paginate(ordering=("seq", "revision"), row=document_out)
def document_list(request: HttpRequest, meeting_id: int) -> QuerySet[Document]:
    """The meeting's documents you may see, by number and revision."""
    meeting = access.access_meeting(request.user, meeting_id)
    return selectors.meeting_documents(request.user, meeting)


@router.post("/meetings/{meeting_id}/documents", response={201: DocumentOut}, auth=AUTHENTICATED)
def document_submit(
    request: HttpRequest, meeting_id: int, payload: DocumentIn
) -> Status[DocumentOut]:
    user = api_user(request)
    meeting = access.access_meeting_for_submit(user, meeting_id)
    document = services.document_submit(
        user=user,
        meeting=meeting,
        kind=payload.kind,
        purpose=payload.purpose,
        title=payload.title,
        original_language=payload.original_language,
        abstract=payload.abstract,
        action_required=payload.action_required,
        source=payload.source,
        country=payload.country,
        contact=payload.contact,
        seq=payload.seq,
        as_manager=access.user_manages_meeting(user, meeting),
    )
    return Status(201, document_out(document))


@router.get("/documents/{document_id}", response=DocumentOut)
def document_detail(request: HttpRequest, document_id: int) -> DocumentOut:
    return document_out(access.access_document(request.user, document_id))


@router.get("/documents/{document_id}/versions/{language}/file")
def document_file(request: HttpRequest, document_id: int, language: str) -> HttpResponseBase:
    document = access.access_document(request.user, document_id)
    return selectors.document_file_response(document, language)


@router.post(
    "/documents/{document_id}/versions/{language}", response=DocumentOut, auth=AUTHENTICATED
)
def version_set(
    request: HttpRequest,
    document_id: int,
    language: str,
    status: Form[str],
    file: UploadedFile | None = OPTIONAL_FILE,
) -> DocumentOut:
    """A language version's translation status and (multipart ``file``) its file."""
    user = api_user(request)
    document = access.access_document_for_manage(user, document_id)
    services.version_set(
        user=user,
        document=document,
        language=language,
        status=status,
        upload=services.Upload.of(file),
    )
    return document_out(access.access_document(user, document_id))


@router.post("/documents/{document_id}/publish", response=DocumentOut, auth=AUTHENTICATED)
def document_publish(request: HttpRequest, document_id: int) -> DocumentOut:
    user = api_user(request)
    return document_out(
        services.document_publish(
            user=user, document=access.access_document_for_manage(user, document_id)
        )
    )


@router.post("/documents/{document_id}/withdraw", response=DocumentOut, auth=AUTHENTICATED)
def document_withdraw(request: HttpRequest, document_id: int) -> DocumentOut:
    user = api_user(request)
    return document_out(
        services.document_withdraw(
            user=user, document=access.access_document_for_revise(user, document_id)
        )
    )


@router.post("/documents/{document_id}/revisions", response={201: DocumentOut}, auth=AUTHENTICATED)
def document_revise(
    request: HttpRequest, document_id: int, payload: ReviseIn
) -> Status[DocumentOut]:
    user = api_user(request)
    document = services.document_revise(
        user=user,
        document=access.access_document_for_revise(user, document_id),
        title=payload.title,
        abstract=payload.abstract,
    )
    return Status(201, document_out(document))
