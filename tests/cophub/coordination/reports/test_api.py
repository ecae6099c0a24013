"""Reports: compiled from what the platform recorded, traced clause by clause to its rows,
edited and translated per section, approved and numbered, exported to DOCX and PDF in any of
the six languages (Arabic and Chinese checked on the rendered pages)."""

import ctypes
import io

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from django.apps import apps
from django.utils import timezone, translation
from docx import Document as Docx

from cophub.coordination.models import Activity, Document, Report
from cophub.coordination.reports.rendering import report_view

from ..conftest import api
from ..conftest import compile_report as _compile

pytestmark = pytest.mark.django_db

ARABIC_NOTE = "نص المحررين باللغة العربية"
CHINESE_NOTE = "编辑撰写的中文说明"


def _errors(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {e["field"]: e["message"] for e in response.json()["details"]["errors"]}


def _records(client, report, headers):  # type: ignore[no-untyped-def]
    """Every record of a report, following its paged records' ``next``."""
    records, link = [], report["records"]
    while link:
        page = client.get(link, headers=headers).json()
        records += page["results"]
        link = page["next"]
    assert len(records) == report["records_count"]
    return records


def _row(source: str):  # type: ignore[no-untyped-def]
    """The platform row a record names (``module.model:id``)."""
    label, pk = source.split(":")
    app_label, model = label.split(".")
    return apps.get_model(app_label, model).objects.get(pk=pk)


def test_figures_trace_back_to_records_and_rows(client, recorded, bdt_staff, token_for):
    headers = token_for(bdt_staff)
    response = _compile(client, headers, recorded)
    assert response.status_code == 201, response.content
    report = response.json()
    records, figures = _records(client, report, headers), report["figures"]
    kinds = [record["kind"] for record in records]
    assert figures["trainings"] == kinds.count("training") == 2
    assert figures["training_reach"] == 65
    assert figures["meetings"] == kinds.count("meeting") == 1
    assert figures["contributions"] == kinds.count("contribution") == 1
    assert figures["helplines_added"] == kinds.count("helpline_added") > 0
    for record in records:  # every record names a row that exists
        assert _row(record["source"]) is not None
    clauses = {clause for record in records for clause in record["clauses"]}
    assert {"BDT-5", "BDT-7", "BDT-10", "MSSM-1", "SM-1"} <= clauses
    participation = report["participation"][0]
    assert participation["registrations"] == 1 and participation["developing"] == 1


def test_regions_narrow_the_report(client, recorded, bdt_staff, make_user, token_for):
    headers = token_for(bdt_staff)
    report = _compile(client, headers, recorded, regions=["AFR"]).json()
    titles = [record["title"] for record in _records(client, report, headers)]
    assert "COP training for regulators, Addis Ababa" in titles
    assert "COP workshop, Paris" not in titles
    # A regional officer reports on their own region only.
    from cophub.accounts.models import Role

    officer = make_user(Role.REGIONAL_OFFICER, username="ro-afr", region="AFR")
    assert _compile(client, token_for(officer), recorded, regions=["AFR"]).status_code == 201
    assert _compile(client, token_for(officer), recorded, regions=["EUR"]).status_code == 403
    assert _compile(client, token_for(officer), recorded).status_code == 403


def test_the_activity_feed_refuses_a_period_that_ends_before_it_starts(
    client, db, bdt_staff, token_for
):
    response = client.get(
        "/api/v1/coordination/activities",
        {"start": "2026-06-30", "end": "2026-04-01"},
        headers=token_for(bdt_staff),
    )
    assert response.status_code == 422
    assert _errors(response) == {"end": "The period ends before it starts."}


def test_an_empty_period_is_refused(client, db, bdt_staff, token_for):
    response = _compile(
        client,
        token_for(bdt_staff),
        {
            "start": timezone.localdate().replace(year=2001),
            "end": timezone.localdate().replace(year=2001),
        },
    )
    assert response.status_code == 422
    assert _errors(response)["period_start"].startswith("Nothing was recorded between ")
    assert not Report.objects.exists()


def test_editor_texts_are_tracked_per_language(client, recorded, bdt_staff, token_for):
    headers = token_for(bdt_staff)
    report_id = _compile(client, headers, recorded).json()["id"]
    path = f"reports/{report_id}/texts"
    early = api(client, headers, "put", path, {"section": "BDT-9", "language": "fr", "text": "x"})
    assert _errors(early)["language"].startswith("Write the text in the report's source language")
    api(
        client,
        headers,
        "put",
        path,
        {"section": "BDT-9", "language": "en", "text": "Two regional trainings were held."},
    )
    status = api(
        client,
        headers,
        "put",
        path,
        {"section": "BDT-9", "language": "fr", "text": "Deux formations régionales ont eu lieu."},
    ).json()
    assert status["texts"]["BDT-9"]["fr"] == "approved"
    assert status["texts"]["BDT-9"]["en"] == "source"
    assert status["texts"]["BDT-9"]["ar"] == "missing"
    status = api(
        client,
        headers,
        "put",
        path,
        {
            "section": "BDT-9",
            "language": "en",
            "text": "Two regional trainings and one workshop were held.",
        },
    ).json()
    assert status["texts"]["BDT-9"]["fr"] == "outdated"

    french = report_view(Report.objects.get(pk=report_id), "fr")
    section = next(s for s in french.sections if s.clause == "BDT-9")
    assert section.editor_text == "Two regional trainings and one workshop were held."
    assert section.editor_note  # says the translation is out of date


def test_approval_numbers_the_report_and_freezes_it(
    client, recorded, bdt_staff, meeting, delegate_fr, make_user, token_for
):
    headers = token_for(bdt_staff)
    report_id = _compile(client, headers, recorded).json()["id"]
    # Drafts are for the secretariat only.
    assert client.get(f"/api/v1/coordination/reports/{report_id}").status_code == 404
    approved = api(client, headers, "post", f"reports/{report_id}/approve", {})
    assert approved.status_code == 200, approved.content
    number = approved.json()["number"]
    assert number.startswith("CWG-COP-25/") and number.endswith("-E")
    assert Document.objects.get(report__pk=report_id).kind == "report"
    assert client.get(f"/api/v1/coordination/reports/{report_id}").status_code == 200
    frozen = api(
        client,
        headers,
        "put",
        f"reports/{report_id}/texts",
        {"section": "summary", "language": "en", "text": "Too late."},
    )
    assert frozen.status_code == 409
    # New rows after approval do not change the approved report.
    Activity.objects.all().delete()
    again = client.get(f"/api/v1/coordination/reports/{report_id}").json()
    assert again["figures"]["trainings"] == 2


def test_wtdc_report_in_every_language_as_docx(client, recorded, bdt_staff, token_for):
    headers = token_for(bdt_staff)
    report_id = _compile(client, headers, recorded, kind="wtdc").json()["id"]
    for language in ("ar", "zh-hans", "en", "fr", "ru", "es"):
        response = client.get(
            f"/api/v1/coordination/reports/{report_id}/export",
            {"format": "docx", "lang": language},
            headers=headers,
        )
        assert response.status_code == 200
        document = Docx(io.BytesIO(response.content))
        with translation.override(language):
            from django.utils.translation import gettext

            title = gettext(
                "Report to the World Telecommunication Development Conference on the "
                "implementation of Resolution 67"
            )
        assert document.paragraphs[0].text == title
        bidi = document.paragraphs[0]._p.pPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi"
        )
        assert (bidi is not None) == (language == "ar")
    bad = client.get(
        f"/api/v1/coordination/reports/{report_id}/export",
        {"format": "odt", "lang": "xx"},
        headers=headers,
    )
    assert set(_errors(bad)) == {"format", "lang"}


def _pdf(client, headers, report_id: int, language: str) -> pdfium.PdfDocument:  # type: ignore[no-untyped-def]
    response = client.get(
        f"/api/v1/coordination/reports/{report_id}/export",
        {"format": "pdf", "lang": language},
        headers=headers,
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    return pdfium.PdfDocument(response.content)


def _find(page: pdfium.PdfPage, text: str) -> tuple[float, float, float, float]:
    """The bounding box (left, bottom, right, top, in points) of ``text`` on ``page``."""
    textpage = page.get_textpage()
    searcher = textpage.search(text)
    found = searcher.get_next()
    assert found is not None, f"{text!r} is not on the page"
    start, count = found
    boxes = [textpage.get_charbox(index) for index in range(start, start + count)]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _font_name(page: pdfium.PdfPage, text: str) -> str:
    """The name of the font the first character of ``text`` is drawn with."""
    textpage = page.get_textpage()
    start, _count = textpage.search(text).get_next()
    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    length = pdfium_c.FPDFText_GetFontInfo(textpage.raw, start, buffer, 256, ctypes.byref(flags))
    return buffer.raw[: max(length - 1, 0)].decode("utf-8", "replace")


def _ink(page: pdfium.PdfPage, box: tuple[float, float, float, float]) -> int:
    """Dark pixels inside ``box`` on the page rendered at 2× (72 dpi × 2)."""
    scale = 2
    image = page.render(scale=scale).to_pil().convert("L")
    height = page.get_height()
    left, bottom, right, top = box
    crop = image.crop(
        (
            int(left * scale),
            int((height - top) * scale),
            int(right * scale) + 1,
            int((height - bottom) * scale) + 1,
        )
    )
    return sum(1 for value in crop.getdata() if value < 128)


@pytest.mark.parametrize(
    ("language", "note", "font", "right_to_left"),
    [
        ("ar", ARABIC_NOTE, "NotoSansArabic", True),
        ("zh-hans", CHINESE_NOTE, "NotoSansCJK", False),
    ],
)
def test_pdf_renders_arabic_and_chinese(  # type: ignore[no-untyped-def]
    client, recorded, bdt_staff, token_for, language, note, font, right_to_left
):
    headers = token_for(bdt_staff)
    report_id = _compile(client, headers, recorded).json()["id"]
    for lang in ("en", language):
        api(
            client,
            headers,
            "put",
            f"reports/{report_id}/texts",
            {"section": "summary", "language": lang, "text": note},
        )
    document = _pdf(client, headers, report_id, language)
    page = document[0]
    # The text layer carries the characters in logical order (search finds them) …
    box = _find(page, note)
    # … the glyphs come from the Noto font for the script (no missing-glyph boxes) …
    assert font in _font_name(page, note).replace("-", "")
    # … they are drawn (the rendered page has ink where the text is) …
    assert _ink(page, box) > 50
    # … and the paragraph runs from the right margin in Arabic, from the left otherwise.
    width, margin = page.get_width(), 2 / 2.54 * 72
    if right_to_left:
        assert abs(box[2] - (width - margin)) < 12 and box[0] > margin + 100
    else:
        assert abs(box[0] - margin) < 12 and box[2] < width - margin - 100
    with translation.override(language):
        from django.utils.translation import gettext

        title = gettext("Quarterly report to the Council Working Group on Child Online Protection")
    assert title != "Quarterly report to the Council Working Group on Child Online Protection"
    assert _find(page, title.split()[0])


def test_editor_texts_are_rows_of_the_translation_matrix(
    client, recorded, bdt_staff, make_user, token_for
):
    """Translators find the report in the matrix, translate it in their workspace, and the
    approved translation is what the report says in their language."""
    from cophub.accounts.models import Organisation, Role
    from cophub.resources.translation_content import item_apply
    from cophub.resources.translation_workflow import (
        translation_approve,
        translation_start,
        translation_submit,
    )

    headers = token_for(bdt_staff)
    report_id = _compile(client, headers, recorded).json()["id"]
    for section, text in (("summary", "A quiet quarter."), ("BDT-9", "Reported on time.")):
        api(
            client,
            headers,
            "put",
            f"reports/{report_id}/texts",
            {"section": section, "language": "en", "text": text},
        )

    from cophub.resources.models import TrackedItem

    item = TrackedItem.objects.get(key=f"coordination.report:{report_id}")

    def cells() -> dict[str, str]:
        rows = client.get("/api/v1/resources/translations", {"kind": "record"}, headers=headers)
        row = next(r for r in rows.json()["results"] if r["item"] == item.pk)
        return {cell["language"]: cell["status"] for cell in row["cells"]}

    assert cells()["en"] == "source" and cells()["fr"] == "missing"
    # An editor writes one French section on the report page: a draft in the matrix.
    api(
        client,
        headers,
        "put",
        f"reports/{report_id}/texts",
        {"section": "summary", "language": "fr", "text": "Un trimestre calme."},
    )
    assert cells()["fr"] == "human_draft"
    # A Russian translator translates everything in the workspace; another approves it.
    translator, reviewer = (
        make_user(Role.TRANSLATOR, username=name, language="ru", kind=Organisation.Kind.ITU_BDT)
        for name in ("tr-ru-1", "tr-ru-2")
    )
    translation_start(item=item, language="ru", user=translator)
    item_apply(
        item,
        "ru",
        {
            ("summary", "A quiet quarter."): "Спокойный квартал.",
            ("BDT-9", "Reported on time."): "Отчет представлен вовремя.",
        },
        user=translator,
        machine=False,
    )
    record = translation_submit(item=item, language="ru", user=translator)
    translation_approve(record=record, user=reviewer)
    assert cells()["ru"] == "approved"
    russian = report_view(Report.objects.get(pk=report_id), "ru")
    assert russian.editor_summary == "Спокойный квартал."
    # The source changes: the Russian translation is outdated in the matrix and the report.
    api(
        client,
        headers,
        "put",
        f"reports/{report_id}/texts",
        {"section": "summary", "language": "en", "text": "A busy quarter."},
    )
    assert cells()["ru"] == "outdated"
    assert "A busy quarter." in report_view(Report.objects.get(pk=report_id), "ru").editor_summary


def test_report_lists_leave_the_snapshot_and_the_texts_unread(
    client, recorded, bdt_staff, meeting, token_for
):
    """A row shows neither (the snapshot grows with the period's records): both stay unread,
    row by row too, and an approved report's number comes from the snapshot's one key."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cophub.coordination.access import report_rows_visible_to

    headers = token_for(bdt_staff)
    for _ in range(2):
        report_id = _compile(client, headers, recorded).json()["id"]
    number = api(client, headers, "post", f"reports/{report_id}/approve", {}).json()["number"]
    rows = list(report_rows_visible_to(bdt_staff))
    assert all({"snapshot", "editor_texts"} <= row.get_deferred_fields() for row in rows)
    client.force_login(bdt_staff)
    lists = [("/api/v1/coordination/reports", headers), ("/en/coordination/reports/", {})]
    for url, extra in lists:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, headers=extra)
        assert response.status_code == 200 and number in response.content.decode()
        one_by_one = [
            q["sql"] for q in queries.captured_queries
            if 'WHERE "coordination_report"."id" =' in q["sql"]
        ]  # fmt: skip
        assert not one_by_one, url  # a deferred field read row by row
