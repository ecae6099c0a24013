"""Reports compiled before snapshot format 2 kept their records, figures and participation but
read each clause's status and progress, the clause texts, the region names, the editors' texts
and the document number live. Give each of them its own copy now, marked ``backfilled`` with
whether any clause's reading had changed since the report was approved (for a draft: since
it was compiled), so the report can say so (decision 0022). Self-contained: it uses the
historical models and no code of the app."""

from typing import Any

from django.db import migrations
from django.utils import timezone

LANGUAGES = ("ar", "zh-hans", "en", "fr", "ru", "es")
LANGUAGE_LETTERS = {"ar": "A", "zh-hans": "C", "en": "E", "fr": "F", "ru": "R", "es": "S"}


def _number(document: Any, language: str) -> str:
    body = document.meeting.body
    return str(
        body.document_pattern.format(
            prefix=body.document_prefix,
            meeting=document.meeting.ordinal,
            seq=document.seq,
            rev=f"(Rev.{document.revision})" if document.revision else "",
            lang=LANGUAGE_LETTERS.get(language, language.upper()),
        )
    )


def backfill(apps: Any, schema_editor: Any) -> None:
    Report = apps.get_model("coordination", "Report")
    ClauseProgress = apps.get_model("coordination", "ClauseProgress")
    Clause = apps.get_model("reference", "Clause")
    now = timezone.now()
    readings = {reading.clause_id: reading for reading in ClauseProgress.objects.all()}
    clauses = []
    for clause in Clause.objects.exclude(section="considering").order_by("position"):
        reading = readings.get(clause.pk)
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
    reports = Report.objects.select_related("document__meeting__body").prefetch_related("regions")
    for report in reports:
        snapshot = dict(report.snapshot)
        if snapshot.get("format") == 2:
            continue
        approved = report.status == "approved" and report.document is not None
        since = report.approved_at if approved and report.approved_at else report.created_at
        snapshot.pop("version", None)
        snapshot.update(
            {
                "format": 2,
                "clauses": clauses,
                "progress_as_of": now.isoformat(),
                "regions": {region.code: region.names for region in report.regions.all()},
                "approved": {
                    "at": (report.approved_at or now).isoformat(),
                    "numbers": {
                        language: _number(report.document, language) for language in LANGUAGES
                    },
                    "texts": report.editor_texts,
                }
                if approved
                else None,
                "backfilled": {
                    "at": now.isoformat(),
                    "progress_changed": ClauseProgress.objects.filter(
                        updated_at__gt=since
                    ).exists(),
                },
            }
        )
        report.snapshot = snapshot
        report.save(update_fields=["snapshot"])


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0002_deadline_rules_and_report_snapshot"),
        ("reference", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
