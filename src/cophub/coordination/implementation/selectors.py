"""The implementation view: every operative clause with the secretariat's reading and the
evidence recorded over the study period, read from the summaries (decision 0041): a fixed
number of queries whatever the number of records."""

from datetime import date
from typing import Any

from django.utils import timezone

from cophub.reference.selectors import operative_clauses

from ..reports.models import ClauseProgress
from ..reports.selectors import clause_evidence_cached

STUDY_PERIOD_START = date(2022, 6, 17)


def implementation_rows(language: str) -> list[dict[str, Any]]:
    """Every operative clause with the secretariat's reading and the evidence recorded over
    the study period (counts by kind, the last day a record counts on)."""
    evidence = clause_evidence_cached(STUDY_PERIOD_START, timezone.localdate())
    progress = {p.clause_id: p for p in ClauseProgress.objects.all()}
    none: dict[str, Any] = {"evidence": 0, "evidence_by_kind": {}, "latest": None}
    rows = []
    for clause in operative_clauses():
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
                **evidence.get(clause.pk, none),
            }
        )
    return rows
