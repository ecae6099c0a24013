"""An approved report never changes: its page, DOCX and PDF say the same after every row it was
compiled from has changed (clause progress, activities, documents, registrations, helplines,
region names, clause texts, the body's number pattern, a late translation). A draft keeps what
was compiled; a report compiled before snapshots existed gets its own copy, and says when the
clauses' readings it shows had changed since its approval."""

import importlib
import io
import re
from datetime import timedelta

import pypdfium2 as pdfium
import pytest
from django.apps import apps
from django.utils import formats, timezone
from docx import Document as Docx

from cophub.coordination.models import (
    Activity,
    Body,
    ClauseProgress,
    Document,
    Registration,
    Report,
)
from cophub.helplines.models import Helpline
from cophub.reference.models import Clause, Region
from cophub.resources.record_sources import record_source

from ..conftest import api, compile_report

pytestmark = pytest.mark.django_db

BACKFILL = importlib.import_module(
    "cophub.coordination.migrations.0003_report_snapshots_backfilled"
)


def _article(client, report_id: int, language: str) -> str:  # type: ignore[no-untyped-def]
    page = client.get(f"/en/coordination/reports/{report_id}/", {"lang": language})
    assert page.status_code == 200
    found = re.search(r"<article.*?</article>", page.content.decode(), re.DOTALL)
    assert found is not None
    return found.group(0)


def _docx_text(client, report_id: int, language: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(
        f"/api/v1/coordination/reports/{report_id}/export", {"format": "docx", "lang": language}
    )
    document = Docx(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def _pdf_text(client, report_id: int, language: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(
        f"/api/v1/coordination/reports/{report_id}/export", {"format": "pdf", "lang": language}
    )
    pdf = pdfium.PdfDocument(response.content)
    return "\n".join(page.get_textpage().get_text_range() for page in pdf)


def _everything(client, report_id: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    shown = {f"page-{lang}": _article(client, report_id, lang) for lang in ("en", "fr", "ar")}
    shown["docx-en"] = _docx_text(client, report_id, "en")
    shown["docx-ru"] = _docx_text(client, report_id, "ru")
    shown["pdf-en"] = _pdf_text(client, report_id, "en")
    shown["api"] = client.get(f"/api/v1/coordination/reports/{report_id}").content.decode()
    return shown


def _progress(client, headers, clause: str, status: str, progress: int, timeline: str):  # type: ignore[no-untyped-def]
    response = api(
        client,
        headers,
        "put",
        f"implementation/{clause}",
        {"status": status, "progress": progress, "timeline": timeline},
    )
    assert response.status_code == 200, response.content


def _change_every_source_row(client, headers, report: Report) -> None:  # type: ignore[no-untyped-def]
    _progress(client, headers, "BDT-5", "at_risk", 10, "Postponed to 2031")
    _progress(client, headers, "BDT-7", "done", 100, "Closed")
    Activity.objects.filter(region_id="AFR").update(title="Renamed training", participants=1)
    Activity.objects.filter(region_id="EUR").delete()
    Document.objects.filter(kind=Document.Kind.CONTRIBUTION).update(title="Renamed contribution")
    Registration.objects.all().delete()
    for helpline in Helpline.objects.all():
        helpline.slug = f"renamed-{helpline.pk}"
        helpline.save(update_fields=["slug"])
    Region.objects.filter(code="AFR").update(names={"en": "Renamed region"})
    Clause.objects.filter(pk="BDT-5").update(texts={"en": "Rewritten clause"})
    Body.objects.filter(pk="cwg-cop").update(document_pattern="X-{meeting}-{seq}-{lang}")
    # A translation approved in the matrix after approval stays out of the approved report.
    key = f"coordination.report:{report.pk}"
    record_source(key).write(key, "fr", {"summary": "Un autre résumé."})


def test_an_approved_report_shows_the_same_after_its_sources_change(
    client, recorded, bdt_staff, token_for
):
    headers = token_for(bdt_staff)
    _progress(client, headers, "BDT-5", "on_track", 40, "Workshops in 2026 and 2027")
    report_id = compile_report(client, headers, recorded, regions=["AFR", "EUR"]).json()["id"]
    for language, text in (("en", "A steady quarter."), ("fr", "Un trimestre régulier.")):
        api(
            client,
            headers,
            "put",
            f"reports/{report_id}/texts",
            {"section": "summary", "language": language, "text": text},
        )
    assert api(client, headers, "post", f"reports/{report_id}/approve", {}).status_code == 200
    before = _everything(client, report_id)
    # What the test compares is really there: the clause's reading, a record, the number.
    assert (
        "On track (40 %)" in before["page-en"]
        and "Workshops in 2026 and 2027" in (before["docx-en"])
    )
    assert "COP training for regulators, Addis Ababa" in before["pdf-en"]
    assert "CWG-COP-25/" in before["page-en"] and "Un trimestre régulier." in before["page-fr"]
    assert "Africa" in before["page-en"]

    _change_every_source_row(client, headers, Report.objects.get(pk=report_id))

    after = _everything(client, report_id)
    assert after == before
    # The live implementation view did change: only the report is frozen.
    live = client.get("/api/v1/coordination/implementation").json()
    assert next(row for row in live if row["clause"] == "BDT-5")["progress"] == 10


def test_a_draft_keeps_what_was_compiled(client, recorded, bdt_staff, token_for):
    headers = token_for(bdt_staff)
    client.force_login(bdt_staff)  # a draft is the secretariat's
    _progress(client, headers, "BDT-5", "on_track", 40, "Workshops in 2026 and 2027")
    report_id = compile_report(client, headers, recorded).json()["id"]
    before = _article(client, report_id, "en")
    _progress(client, headers, "BDT-5", "at_risk", 10, "Postponed to 2031")
    Activity.objects.update(title="Renamed training")
    after = _article(client, report_id, "en")
    assert after == before and "On track (40 %)" in after
    today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    assert f"Clause status, progress and timeline as recorded on {today}." in after


def _old_report(client, recorded, bdt_staff, token_for) -> Report:  # type: ignore[no-untyped-def]
    """A report approved before snapshots existed: its stored content had no clauses, region
    names, texts or numbers of its own."""
    headers = token_for(bdt_staff)
    _progress(client, headers, "BDT-5", "on_track", 40, "Workshops in 2026 and 2027")
    report_id = compile_report(client, headers, recorded, regions=["AFR"]).json()["id"]
    api(client, headers, "post", f"reports/{report_id}/approve", {})
    report = Report.objects.get(pk=report_id)
    old = {
        key: report.snapshot[key]
        for key in ("compiled_at", "records", "figures", "translation_coverage", "participation")
    }
    Report.objects.filter(pk=report_id).update(snapshot={"version": 1, **old})
    return report


def test_reports_compiled_before_snapshots_get_their_own_copy(
    client, recorded, bdt_staff, token_for
):
    report = _old_report(client, recorded, bdt_staff, token_for)
    BACKFILL.backfill(apps, None)
    report.refresh_from_db()
    assert report.snapshot["format"] == 2
    assert report.snapshot["approved"]["numbers"]["fr"] == report.document.number("fr")
    assert report.snapshot["regions"] == {"AFR": Region.objects.get(pk="AFR").names}
    shown = _article(client, report.pk, "en")
    assert "On track (40 %)" in shown and "some of them had changed" not in shown
    # From now on it is frozen like any other.
    _progress(client, token_for(bdt_staff), "BDT-5", "at_risk", 10, "Postponed")
    assert _article(client, report.pk, "en") == shown


def test_a_backfilled_report_says_when_its_readings_changed_after_approval(
    client, recorded, bdt_staff, token_for
):
    report = _old_report(client, recorded, bdt_staff, token_for)
    ClauseProgress.objects.filter(clause_id="BDT-5").update(
        progress=10, updated_at=timezone.now() + timedelta(minutes=5)
    )
    BACKFILL.backfill(apps, None)
    shown = _article(client, report.pk, "en")
    assert "This report was approved before reports kept their own copy" in shown
    assert "(10 %)" in shown
