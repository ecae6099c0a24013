"""Writes for the implementation view: BDT staff set each clause's status, progress,
timeline and note (``ClauseProgress``, which the reports freeze)."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from cophub.accounts.models import User
from cophub.portal.errors import FieldErrors
from cophub.reference.models import Clause

from ..field_checks import (
    choice_checked,
)
from ..reports.models import ClauseProgress


@transaction.atomic
def clause_progress_set(*, user: User, clause_id: str, data: dict[str, Any]) -> ClauseProgress:
    errors = FieldErrors()
    clause = Clause.objects.filter(pk=clause_id).first()
    if clause is None:
        errors.add("clause", _("Unknown clauses: %(clauses)s.") % {"clauses": clause_id})
    choice_checked(errors, data, "status", ClauseProgress.Status)
    progress = data.get("progress", 0)
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        errors.add("progress", _("Give a percentage from 0 to 100."), "invalid")
    errors.raise_if_any()
    record, _created = ClauseProgress.objects.update_or_create(
        clause=clause,
        defaults={
            "status": data.get("status") or ClauseProgress.Status.NOT_STARTED,
            "progress": progress,
            "timeline": data.get("timeline", ""),
            "note": data.get("note", ""),
        },
    )
    return record
