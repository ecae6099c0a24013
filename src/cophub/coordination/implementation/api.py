"""The API of the implementation view (mounted under ``/api/v1/coordination/``)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from cophub.portal.api_auth import AUTHENTICATED, api_language, api_user

from .. import access
from . import selectors, services

router = Router()
Data = dict[str, Any]


class ProgressIn(Schema):
    status: str
    progress: int = 0
    timeline: str = ""
    note: str = ""


@router.get("/implementation")
def implementation(request: HttpRequest, lang: str | None = None) -> list[Data]:
    """Every operative clause: status, progress, timeline and counts of linked evidence over
    the study period."""
    return selectors.implementation_rows(api_language(lang))


@router.put("/implementation/{clause_id}", auth=AUTHENTICATED)
def implementation_set(request: HttpRequest, clause_id: str, payload: ProgressIn) -> Data:
    user = api_user(request)
    access.access_clause_progress_for_set(user)
    record = services.clause_progress_set(user=user, clause_id=clause_id, data=payload.model_dump())
    return {"clause": record.clause_id, "status": record.status, "progress": record.progress}
