"""Writes for the implementation view: BDT staff set each clause's status, progress,
timeline and note (``ClauseProgress``, which the reports freeze)."""

from django.db import transaction
from django.utils.translation import gettext as _

from cophub.accounts.models import User
from cophub.portal.errors import FieldErrors
from cophub.reference.models import Clause

from ..reports.models import ClauseProgress


@transaction.atomic
def clause_progress_set(
    *,
    user: User,
    clause_id: str,
    status: ClauseProgress.Status,
    progress: int = 0,
    timeline: str = "",
    note: str = "",
) -> ClauseProgress:
    """The secretariat's reading of a clause: ``progress`` is a percentage (0–100)."""
    errors = FieldErrors()
    clause = Clause.objects.filter(pk=clause_id).first()
    if clause is None:
        errors.add("clause", _("Unknown clauses: %(clauses)s.") % {"clauses": clause_id})
    errors.raise_if_any()
    record, _created = ClauseProgress.objects.update_or_create(
        clause=clause,
        defaults={"status": status, "progress": progress, "timeline": timeline, "note": note},
    )
    return record
