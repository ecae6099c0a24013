"""Writes for partners and their agreements, and for the activities of BDT and the regional
offices."""

from datetime import date
from typing import Any, cast

from django.db import transaction
from django.utils.translation import gettext as _

from cophub.accounts.models import User
from cophub.portal.errors import FieldErrors

from ..field_checks import (
    choice_checked,
    clauses_checked,
    country_checked,
    date_checked,
    region_checked,
    required,
)
from .models import Activity, Agreement, Partner


@transaction.atomic
def partner_save(*, user: User, data: dict[str, Any]) -> Partner:
    errors = FieldErrors()
    required(errors, data, "name", "kind")
    choice_checked(errors, data, "kind", Partner.Kind)
    errors.raise_if_any()
    partner, _created = Partner.objects.update_or_create(
        name=data["name"].strip(),
        defaults={
            "kind": data["kind"],
            "url": data.get("url", ""),
            "description": data.get("description", ""),
        },
    )
    for index, agreement in enumerate(data.get("agreements") or []):
        signed = date_checked(errors, agreement, "signed_on")
        if not agreement.get("title") or signed is None:
            errors.add(f"agreements[{index}]", _("Give a title and the date it was signed."))
            continue
        Agreement.objects.get_or_create(
            partner=partner, title=agreement["title"], defaults={"signed_on": signed}
        )
    errors.raise_if_any()
    return partner


@transaction.atomic
def activity_record(*, user: User, data: dict[str, Any]) -> Activity:
    """An activity of BDT or a regional office. ``data``: kind, title, description,
    starts_on, ends_on, region, countries (ISO codes), partners (ids), clauses (ids),
    participants."""
    errors = FieldErrors()
    required(errors, data, "kind", "title", "starts_on", "clauses")
    choice_checked(errors, data, "kind", Activity.Kind)
    starts = date_checked(errors, data, "starts_on")
    ends = date_checked(errors, data, "ends_on") or starts
    if starts and ends and ends < starts:
        errors.add("ends_on", _("The last day is before the first day."), "invalid_date")
    region = region_checked(errors, "region", data.get("region"))
    countries = []
    for index, code in enumerate(data.get("countries") or []):
        country = country_checked(errors, f"countries[{index}]", code)
        if country is not None:
            countries.append(country)
    clauses = clauses_checked(errors, "clauses", list(data.get("clauses") or []))
    partners = list(Partner.objects.filter(pk__in=data.get("partners") or []))
    if len(partners) != len(set(data.get("partners") or [])):
        errors.add("partners", _("Unknown partner."), "unknown")
    participants = data.get("participants")
    if participants is not None and (not isinstance(participants, int) or participants < 0):
        errors.add("participants", _("Give a whole number of participants."), "invalid")
    errors.raise_if_any()
    activity = Activity.objects.create(
        kind=data["kind"],
        title=data["title"].strip(),
        description=data.get("description", ""),
        starts_on=cast(date, starts),
        ends_on=cast(date, ends),
        region=region,
        participants=participants,
        recorded_by=user,
    )
    activity.countries.set(countries)
    activity.clauses.set(clauses)
    activity.partners.set(partners)
    return activity
