"""The API of liaison statements (mounted under ``/api/v1/coordination/``)."""

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status

from cophub.portal.api_auth import AUTHENTICATED, api_user
from cophub.portal.paging import keyset_paginate

from .. import access
from ..documents.api import LiaisonStatementOut, liaison_out
from . import services
from .models import LiaisonStatement

router = Router()


class LiaisonIn(Schema):
    direction: str = "out"
    subject: str
    origin: str
    origin_questions: str = ""
    addressees: list[dict[str, str]]
    approval: str
    deadline: date | None = None
    contact: str
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
    statement = services.liaison_create(user=user, meeting=meeting, data=payload.model_dump())
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
