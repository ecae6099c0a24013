"""The implementation view: every operative clause with the secretariat's reading and the
evidence collected over the study period."""

from datetime import date
from typing import Any

from django.utils import timezone

from cophub.reference.selectors import operative_clauses

from ..reports.collected import Period, records_in_period
from ..reports.models import ClauseProgress

STUDY_PERIOD_START = date(2022, 6, 17)


def implementation_rows(language: str) -> list[dict[str, Any]]:
    """Every operative clause with the secretariat's reading and the evidence collected over
    the study period (counts by kind)."""
    everything = records_in_period(Period(STUDY_PERIOD_START, timezone.localdate()))
    progress = {p.clause_id: p for p in ClauseProgress.objects.all()}
    rows = []
    for clause in operative_clauses():
        mine = [record for record in everything if clause.pk in record.clauses]
        kinds: dict[str, int] = {}
        for record in mine:
            kinds[record.kind] = kinds.get(record.kind, 0) + 1
        reading = progress.get(clause.pk)
        rows.append(
            {
                "clause": clause.pk,
                "text": clause.text(language),
                "official": clause.is_official(language),
                "status": reading.status if reading else ClauseProgress.Status.NOT_STARTED,
                "status_label": str(reading.get_status_display()) if reading else "",
                "progress": reading.progress if reading else 0,
                "timeline": reading.timeline if reading else "",
                "note": reading.note if reading else "",
                "evidence": len(mine),
                "evidence_by_kind": kinds,
                "latest": mine[-1].on if mine else None,
            }
        )
    return rows
