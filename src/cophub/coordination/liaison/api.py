"""The API of liaison statements (mounted under ``/api/v1/coordination/``)."""

from datetime import date
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cophub.portal.api_auth import AUTHENTICATED, api_user
from cophub.portal.api_validation import RequiredText
from cophub.portal.paging import keyset_paginate

from .. import access
from ..documents.api import LiaisonStatementOut, liaison_out
from . import services
from .models import LiaisonStatement

router = Router()


class AddresseeIn(Schema):
    body: RequiredText
    purpose: Literal["action", "comments", "information"] = Field(alias="for")


class LiaisonIn(Schema):
    direction: Literal["in", "out"] = "out"
    subject: RequiredText
    origin: RequiredText
    origin_questions: str = ""
    addressees: list[AddresseeIn]
    approval: RequiredText
    deadline: date | None = None
    contact: RequiredText
    original_language: str
    reply_to: int | None = None
    seq: int | None = None


class StatusIn(Schema):
    status: str


@router.get("/liaison-statements", response=list[LiaisonStatementOut])
@keyset_paginate(ordering=("-pk",), row=liaison_out)
def liaison_list(request: HttpRequest) -> QuerySet[LiaisonStatement]:
    """Statements whose document you may see, newest first."""
    return access.statements_visible_to(request.user)


@router.post(
    "/meetings/{meeting_id}/liaison-statements",
    response={201: LiaisonStatementOut},
    auth=AUTHENTICATED,
)
def liaison_create(
    request: HttpRequest, meeting_id: int, payload: LiaisonIn
) -> Status[LiaisonStatementOut]:
    user = api_user(request)
    meeting = access.access_meeting_for_manage(user, meeting_id)
    statement = services.liaison_create(
        user=user,
        meeting=meeting,
        incoming=payload.direction == "in",
        subject=payload.subject,
        origin=payload.origin,
        origin_questions=payload.origin_questions,
        addressees=[services.Addressee(a.body, a.purpose) for a in payload.addressees],
        approval=payload.approval,
        deadline=payload.deadline,
        contact=payload.contact,
        original_language=payload.original_language,
        reply_to=payload.reply_to,
        seq=payload.seq,
    )
    return Status(201, liaison_out(statement))


@router.post(
    "/liaison-statements/{statement_id}/status", response=LiaisonStatementOut, auth=AUTHENTICATED
)
def liaison_advance(
    request: HttpRequest, statement_id: int, payload: StatusIn
) -> LiaisonStatementOut:
    user = api_user(request)
    statement = access.access_statement_for_advance(user, statement_id)
    return liaison_out(
        services.liaison_advance(user=user, statement=statement, status=payload.status)
    )
