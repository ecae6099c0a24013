"""Writes for partners and their agreements, and for the activities of BDT and the regional
offices."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from cophub.accounts.models import User
from cophub.portal.errors import FieldErrors

from ..field_checks import clauses_checked, country_checked, region_checked
from .models import Activity, Agreement, Partner


@dataclass(frozen=True)
class AgreementDraft:
    """An agreement signed with a partner: its title and the day it was signed."""

    title: str
    signed_on: date


@transaction.atomic
def partner_save(
    *,
    user: User,
    name: str,
    kind: Partner.Kind,
    url: str = "",
    description: str = "",
    agreements: Sequence[AgreementDraft] = (),
) -> Partner:
    """A partner, created or updated by its name, with the agreements not yet recorded."""
    partner, _created = Partner.objects.update_or_create(
        name=name.strip(),
        defaults={"kind": kind, "url": url, "description": description},
    )
    for agreement in agreements:
        Agreement.objects.get_or_create(
            partner=partner, title=agreement.title, defaults={"signed_on": agreement.signed_on}
        )
    return partner


@transaction.atomic
def activity_record(
    *,
    user: User,
    kind: Activity.Kind,
    title: str,
    starts_on: date,
    clauses: Sequence[str],
    ends_on: date | None = None,
    description: str = "",
    region: str | None = None,
    countries: Sequence[str] = (),
    partners: Sequence[int] = (),
    participants: int | None = None,
) -> Activity:
    """An activity of BDT or a regional office: ``region`` and ``countries`` are codes,
    ``clauses`` Resolution 67 clause ids, ``partners`` partner ids; a one-day activity may
    leave out ``ends_on``."""
    errors = FieldErrors()
    ends = ends_on or starts_on
    if ends < starts_on:
        errors.add("ends_on", _("The last day is before the first day."), "invalid_date")
    found_region = region_checked(errors, "region", region)
    found_countries = []
    for index, code in enumerate(countries):
        country = country_checked(errors, f"countries[{index}]", code)
        if country is not None:
            found_countries.append(country)
    if not clauses:
        errors.add("clauses", _("This field is required."), "required")
    found_clauses = clauses_checked(errors, "clauses", list(clauses))
    found_partners = list(Partner.objects.filter(pk__in=partners))
    if len(found_partners) != len(set(partners)):
        errors.add("partners", _("Unknown partner."), "unknown")
    errors.raise_if_any()
    activity = Activity.objects.create(
        kind=kind,
        title=title.strip(),
        description=description,
        starts_on=starts_on,
        ends_on=ends,
        region=found_region,
        participants=participants,
        recorded_by=user,
    )
    activity.countries.set(found_countries)
    activity.clauses.set(found_clauses)
    activity.partners.set(found_partners)
    return activity
