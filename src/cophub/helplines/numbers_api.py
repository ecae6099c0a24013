from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema

from cophub.portal.paging import keyset_paginate

from . import selectors
from .models import CopNumber
from .number_checks import short_number_warnings

router = Router(tags=["numbers"])


class StatusOut(Schema):
    status: str
    date: str
    authority: str
    decision_ref: str
    provider_helpline: str | None
    source_url: str
    source_type: str
    source_note: str


class NumberOut(Schema):
    country: str
    number: str
    purpose: str
    harmonised: str
    current_status: str | None
    history: list[StatusOut]
    warnings: list[str]
    checked_with: str


def _numbers(page: list[CopNumber], params: dict[str, Any]) -> list[NumberOut]:
    numbers = []
    for number in page:
        history = list(number.history.all())
        checks = short_number_warnings(number.number, number.country_id)
        numbers.append(
            NumberOut(
                country=number.country_id,
                number=number.number,
                purpose=number.purpose,
                harmonised=number.harmonised,
                current_status=history[-1].status if history else None,
                history=[
                    StatusOut(
                        status=s.status,
                        date=s.date,
                        authority=s.authority,
                        decision_ref=s.decision_ref,
                        provider_helpline=s.provider.slug if s.provider else None,
                        source_url=s.source_url,
                        source_type=s.source_type,
                        source_note=s.source_note,
                    )
                    for s in history
                ],
                warnings=[w.message for w in checks.warnings],
                checked_with=checks.library,
            )
        )
    return numbers


@router.get("", response=list[NumberOut])
@keyset_paginate(ordering=("country_id", "number"), rows=_numbers)
def number_list(request: HttpRequest, country: str | None = None) -> QuerySet[CopNumber]:
    """The registry of COP numbers (MS-3) with each number's dated status history and
    provenance, and the ``phonenumbers`` short-number checks as warnings; by country and
    number, paged (follow ``next``)."""
    return selectors.number_list(country=country.upper() if country else None)
