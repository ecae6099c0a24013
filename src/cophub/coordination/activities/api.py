"""The API of partners (mounted under ``/api/v1/coordination/``). Activities are recorded and
read with the collected feed, in ``reports/api.py``: one path, ``/activities``, one router."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from cophub.portal.api_auth import AUTHENTICATED, api_user

from .. import access
from . import selectors, services

router = Router()
Data = dict[str, Any]


class PartnerIn(Schema):
    name: str
    kind: str
    url: str = ""
    description: str = ""
    agreements: list[dict[str, str]] = []


@router.get("/partners")
def partner_list(request: HttpRequest) -> list[Data]:
    return selectors.partner_rows()


@router.post("/partners", response={201: Data}, auth=AUTHENTICATED)
def partner_save(request: HttpRequest, payload: PartnerIn) -> Status[Data]:
    user = api_user(request)
    access.access_partners_for_save(user)
    partner = services.partner_save(user=user, data=payload.model_dump())
    return Status(201, {"id": partner.pk, "name": partner.name})
