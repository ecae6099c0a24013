"""Calls for submissions: created and moved through their phases by BDT staff."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from cophub.accounts.models import Organisation, User
from cophub.portal.errors import InvalidInput
from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.reference.models import Region

from ..errors import InvalidTransition
from ..models import Call

PHASE_ORDER = [Call.Phase.ANNOUNCED, Call.Phase.OPEN, Call.Phase.REVIEW, Call.Phase.PUBLICATION]


def _error(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message}


@transaction.atomic
def call_create(
    *,
    user: User,
    titles: dict[str, str],
    opens_at: datetime,
    closes_at: datetime,
    descriptions: dict[str, str] | None = None,
    region: str | None = None,
    eligible_kinds: list[str] | None = None,
    phase: str = Call.Phase.ANNOUNCED,
) -> Call:
    errors = []
    titles = {code: text.strip() for code, text in titles.items() if text and text.strip()}
    if not titles:
        errors.append(_error("titles", _("Give the title in at least one language.")))
    if any(code not in UI_LANGUAGE_CODES for code in titles):
        errors.append(_error("titles", _("Titles are given in the six ITU languages only.")))
    if closes_at <= opens_at:
        errors.append(_error("closes_at", _("The call must close after it opens.")))
    kinds = eligible_kinds if eligible_kinds is not None else None
    if kinds is not None and (not kinds or any(k not in Organisation.Kind.values for k in kinds)):
        errors.append(_error("eligible_kinds", _("Choose kinds of organisation from the list.")))
    region_obj = Region.objects.filter(code=region).first() if region else None
    if region and region_obj is None:
        errors.append(_error("region", _("Unknown region.")))
    if phase not in (Call.Phase.ANNOUNCED, Call.Phase.OPEN):
        errors.append(_error("phase", _("A new call is announced or open.")))
    if errors:
        raise InvalidInput(details={"errors": errors})
    call = Call(
        titles=titles,
        descriptions=descriptions or {},
        region=region_obj,
        opens_at=opens_at,
        closes_at=closes_at,
        phase=phase,
        created_by=user,
    )
    if kinds is not None:
        call.eligible_kinds = kinds
    call.save()
    return call


@transaction.atomic
def call_phase_set(*, call: Call, phase: str) -> Call:
    """Phases only move forward: announced → open → review → publication."""
    if phase not in Call.Phase.values:
        raise InvalidInput(details={"errors": [_error("phase", _("Unknown phase."))]})
    if PHASE_ORDER.index(Call.Phase(phase)) <= PHASE_ORDER.index(Call.Phase(call.phase)):
        raise InvalidTransition(
            _("A call moves forward only: it is in its %(phase)s phase.")
            % {"phase": call.get_phase_display()}
        )
    call.phase = phase
    call.save(update_fields=["phase"])
    return call
