"""What a report shows, stored in ``Report.snapshot`` so that an approved report never changes
(decision 0022). Compiling stores what the platform holds for the period; approving adds what
the editors wrote and the document numbers. Rendering (``rendering.py``) reads the
snapshot only, and the report's own fields (kind, period, status); labels come from gettext.

Format 2::

    {
      "format": 2,
      "compiled_at": "<ISO instant>",
      "records": [<Record.as_json()>, …],           # every record of the period
      "figures": {"trainings": 2, …},                 # counts over the records
      "translation_coverage": 81.5 | null,            # % of the resources' matrix done
      "participation": [<MeetingParticipation.as_json()>, …],
      "clauses": [{"clause": "BDT-1", "texts": {<lang>: …}, "official_languages": [...],
                   "status": "on_track" | null, "progress": 40 | null, "timeline": "…"}, …],
      "progress_as_of": "<ISO instant>",              # when the clauses' readings were read
      "regions": {"AFR": {<lang>: "Africa", …}},      # the report's regions, named
      "approved": null | {"at": "<ISO instant>",
                          "numbers": {<lang>: "CWG-COP-25/6-E", …},
                          "texts": <the editors' texts, as in Report.editor_texts>},
      "backfilled": null | {"at": "<ISO instant>", "progress_changed": true | false}
    }

``backfilled`` marks a report compiled before format 2 (migration 0003): its clauses' readings
were copied when the platform was upgraded, and ``progress_changed`` says whether any had been
changed after the report was approved (or, for a draft, compiled)."""

from collections import Counter
from typing import Any

from django.utils import timezone

from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.reference.models import Region
from cophub.reference.selectors import operative_clauses
from cophub.resources.selectors import translation_matrix
from cophub.resources.translation_status import CellStatus

from ..documents.models import Document
from ..meetings.models import Meeting
from ..participation import meeting_participation
from .collected import Period, Record
from .models import ClauseProgress, Report

SNAPSHOT_FORMAT = 2
TRAINING_KINDS = frozenset({"training", "workshop", "dissemination_training"})
ASSISTANCE_KINDS = frozenset({"assistance_request", "country_assistance"})


def figures_of(records: list[Record]) -> dict[str, int]:
    """The headline figures, each a count over ``records``."""
    kinds = Counter(record.kind for record in records)
    trainings = [record for record in records if record.kind in TRAINING_KINDS]
    assisted = {
        code for record in records if record.kind in ASSISTANCE_KINDS for code in record.countries
    }
    return {
        "countries_assisted": len(assisted),
        "assessments": kinds["assessment"],
        "strategy_profiles": kinds["strategy_profile"],
        "helplines_added": kinds["helpline_added"],
        "number_changes": kinds["number_status"],
        "statistics_releases": kinds["statistics_release"],
        "trainings": len(trainings),
        "training_reach": sum(record.participants or 0 for record in trainings),
        "best_practices": kinds["best_practice"],
        "resources": kinds["resource"],
        "meetings": kinds["meeting"],
        "contributions": kinds["contribution"],
        "liaison_statements": kinds["liaison_in"] + kinds["liaison_out"],
        "agreements": kinds["agreement"],
    }


def _translation_coverage() -> float | None:
    cells = [
        cell
        for row in translation_matrix()
        for cell in row.cells
        if cell.language in UI_LANGUAGE_CODES
    ]
    if not cells:
        return None
    done = sum(cell.status in (CellStatus.SOURCE, CellStatus.APPROVED) for cell in cells)
    return round(100 * done / len(cells), 1)


def _participation(period: Period) -> list[dict[str, Any]]:
    meetings = list(
        Meeting.objects.select_related("body")
        .filter(starts_on__range=(period.start, period.end))
        .order_by("starts_on")
    )
    return [row.as_json() for row in meeting_participation(meetings)]


def clause_readings() -> list[dict[str, Any]]:
    """Every operative clause, in order, with its texts and the secretariat's reading now."""
    progress = {reading.clause_id: reading for reading in ClauseProgress.objects.all()}
    clauses = []
    for clause in operative_clauses():
        reading = progress.get(clause.pk)
        clauses.append(
            {
                "clause": clause.pk,
                "texts": clause.texts,
                "official_languages": clause.official_languages,
                "status": reading.status if reading else None,
                "progress": reading.progress if reading else None,
                "timeline": reading.timeline if reading else "",
            }
        )
    return clauses


def snapshot_compile(
    *, records: list[Record], period: Period, regions: list[Region]
) -> dict[str, Any]:
    """Everything a report of ``period`` shows that the platform holds, as of now."""
    now = timezone.now().isoformat()
    return {
        "format": SNAPSHOT_FORMAT,
        "compiled_at": now,
        "records": [record.as_json() for record in records],
        "figures": figures_of(records),
        "translation_coverage": _translation_coverage(),
        "participation": _participation(period),
        "clauses": clause_readings(),
        "progress_as_of": now,
        "regions": {region.code: region.names for region in regions},
        "approved": None,
        "backfilled": None,
    }


def snapshot_approved(report: Report, document: Document) -> dict[str, Any]:
    """The snapshot completed at approval: the editors' texts as they are now and the
    report's document number in each language."""
    return {
        **report.snapshot,
        "approved": {
            "at": timezone.now().isoformat(),
            "numbers": {language: document.number(language) for language in UI_LANGUAGE_CODES},
            "texts": report.editor_texts,
        },
    }


def snapshot_texts(report: Report) -> dict[str, Any]:
    """The editors' texts the report shows: frozen once approved, the draft's until then."""
    approved = report.snapshot.get("approved")
    texts: dict[str, Any] = approved["texts"] if approved else report.editor_texts
    return texts


def snapshot_number(report: Report, language: str) -> str:
    """The approved report's document number in ``language`` ("" for a draft)."""
    approved = report.snapshot.get("approved")
    return str(approved["numbers"].get(language, "")) if approved else ""
