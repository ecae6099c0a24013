"""The API of the implementation view (mounted under ``/api/v1/coordination/``)."""

from datetime import date

from django.http import HttpRequest
from ninja import Field, Router, Schema

from cophub.portal.api_auth import AUTHENTICATED, api_language, api_user

from .. import access
from ..reports.models import ClauseProgress
from . import selectors, services

router = Router()


class ProgressIn(Schema):
    status: ClauseProgress.Status
    progress: int = Field(0, ge=0, le=100)
    timeline: str = ""
    note: str = ""


class ImplementationRowOut(Schema):
    clause: str
    text: str
    official: bool
    status: str
    status_label: str
    progress: int
    timeline: str
    note: str
    evidence: int
    evidence_by_kind: dict[str, int]
    latest: date | None


class ClauseProgressOut(Schema):
    clause: str
    status: str
    progress: int


@router.get("/implementation", response=list[ImplementationRowOut])
def implementation(request: HttpRequest, lang: str | None = None) -> list[ImplementationRowOut]:
    """Every operative clause: status, progress, timeline and counts of linked evidence over
    the study period."""
    return [
        ImplementationRowOut(**row) for row in selectors.implementation_rows(api_language(lang))
    ]


@router.put("/implementation/{clause_id}", response=ClauseProgressOut, auth=AUTHENTICATED)
def implementation_set(
    request: HttpRequest, clause_id: str, payload: ProgressIn
) -> ClauseProgressOut:
    user = api_user(request)
    access.access_clause_progress_for_set(user)
    record = services.clause_progress_set(
        user=user,
        clause_id=clause_id,
        status=payload.status,
        progress=payload.progress,
        timeline=payload.timeline,
        note=payload.note,
    )
    return ClauseProgressOut(
        clause=record.clause_id, status=record.status, progress=record.progress
    )
