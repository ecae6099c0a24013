"""Writes for the parts of an assessment beside the answers: the consultation with children
and young people that informed it, and the stakeholder map. Locked with the answers."""

from dataclasses import dataclass
from datetime import date
from typing import cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.accounts.models import User
from cophub.portal.errors import ObjectNotFound

from .errors import FieldErrors
from .models import Assessment, Consultation, Stakeholder
from .services import ensure_open


@dataclass(frozen=True)
class ConsultationInput:
    held_on: date | None
    method: str
    participants: int | None
    summary: str
    age_min: int | None = None
    age_max: int | None = None
    inclusion: str = ""
    influence: str = ""


@transaction.atomic
def consultation_add(
    *, assessment: Assessment, user: User, data: ConsultationInput
) -> Consultation:
    ensure_open(assessment)
    errors = FieldErrors()
    if data.held_on is None:
        errors.add("held_on", _("Give the date of the consultation."), "required")
    elif data.held_on > timezone.localdate():
        errors.add("held_on", _("The date is in the future."))
    if data.method not in Consultation.Method.values:
        errors.add("method", _("Choose how children and young people were consulted."))
    if data.participants is None or data.participants < 1:
        errors.add("participants", _("Give the number of participants."), "required")
    for field, age in (("age_min", data.age_min), ("age_max", data.age_max)):
        if age is not None and not 0 <= age <= 24:
            errors.add(field, _("Ages go from 0 to 24 (young people)."), "out_of_scale")
    if data.age_min is not None and data.age_max is not None and data.age_min > data.age_max:
        errors.add("age_max", _("The oldest age is below the youngest."))
    if not data.summary.strip():
        errors.add("summary", _("Summarise what children and young people said."), "required")
    errors.raise_if_any()
    return Consultation.objects.create(
        assessment=assessment,
        held_on=cast(date, data.held_on),
        method=data.method,
        participants=cast(int, data.participants),
        age_min=data.age_min,
        age_max=data.age_max,
        inclusion=data.inclusion.strip(),
        summary=data.summary.strip(),
        influence=data.influence.strip(),
        recorded_by=user,
    )


@transaction.atomic
def stakeholder_add(
    *, assessment: Assessment, name: str, sector: str, involvement: str, role: str = ""
) -> Stakeholder:
    ensure_open(assessment)
    errors = FieldErrors()
    if not name.strip():
        errors.add("name", _("Give the name of the stakeholder."), "required")
    if sector not in Stakeholder.Sector.values:
        errors.add("sector", _("Choose a sector."))
    if involvement not in Stakeholder.Involvement.values:
        errors.add("involvement", _("Choose how the stakeholder takes part."))
    errors.raise_if_any()
    return Stakeholder.objects.create(
        assessment=assessment,
        name=name.strip()[:200],
        sector=sector,
        involvement=involvement,
        role=role.strip()[:300],
    )


@transaction.atomic
def assessment_part_delete(*, assessment: Assessment, kind: str, part_id: int) -> None:
    """Delete a consultation record or a stakeholder of an open assessment."""
    ensure_open(assessment)
    parts = (
        Consultation.objects.filter(assessment=assessment)
        if kind == "consultation"
        else Stakeholder.objects.filter(assessment=assessment)
    )
    deleted, _counts = parts.filter(pk=part_id).delete()
    if not deleted:
        raise ObjectNotFound()
