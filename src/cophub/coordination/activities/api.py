"""The API of partners (mounted under ``/api/v1/coordination/``). Activities are recorded and
read with the collected feed, in ``reports/api.py``: one path, ``/activities``, one router."""

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status

from cophub.portal.api_auth import AUTHENTICATED, api_user
from cophub.portal.api_validation import RequiredText
from cophub.portal.paging import keyset_paginate

from .. import access
from . import selectors, services
from .models import Partner

router = Router()


class AgreementIn(Schema):
    title: RequiredText
    signed_on: date


class PartnerIn(Schema):
    name: RequiredText
    kind: Partner.Kind
    url: str = ""
    description: str = ""
    agreements: list[AgreementIn] = []


class AgreementOut(Schema):
    title: str
    signed_on: date
    ends_on: date | None


class PartnerOut(Schema):
    id: int
    name: str
    kind: str
    url: str
    agreements: list[AgreementOut]
    activities: list[int]


class PartnerSavedOut(Schema):
    id: int
    name: str


def _partner(partner: Partner) -> PartnerOut:
    return PartnerOut(**selectors.partner_row(partner))


@router.get("/partners", response=list[PartnerOut])
@keyset_paginate(ordering=("name",), row=_partner)
def partner_list(request: HttpRequest) -> QuerySet[Partner]:
    """Partners by name, with their agreements and activities."""
    return selectors.partners()


@router.post("/partners", response={201: PartnerSavedOut}, auth=AUTHENTICATED)
def partner_save(request: HttpRequest, payload: PartnerIn) -> Status[PartnerSavedOut]:
    user = api_user(request)
    access.access_partners_for_save(user)
    partner = services.partner_save(
        user=user,
        name=payload.name,
        kind=payload.kind,
        url=payload.url,
        description=payload.description,
        agreements=[services.AgreementDraft(a.title, a.signed_on) for a in payload.agreements],
    )
    return Status(201, PartnerSavedOut(id=partner.pk, name=partner.name))
