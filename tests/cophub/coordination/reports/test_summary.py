"""A report lists each record once (the records annex, with the clauses it serves) and gives
each clause its count and a link, instead of printing every record under every clause it
serves (issue 17, item 4)."""

import re

import pytest

from cophub.coordination.models import Report
from cophub.coordination.reports.views import PAGE_RECORDS

from ..conftest import compile_report
from .test_freeze import _article, _docx_text, _pdf_text

pytestmark = pytest.mark.django_db

TITLE = "COP training for regulators, Addis Ababa"  # serves BDT-5 and BDT-7 (conftest)


def _report(client, recorded, bdt_staff, token_for) -> Report:  # type: ignore[no-untyped-def]
    response = compile_report(client, token_for(bdt_staff), recorded)
    assert response.status_code == 201, response.content
    return Report.objects.get(pk=response.json()["id"])


def test_each_record_is_listed_once_on_the_page_and_in_the_exports(
    client, recorded, bdt_staff, token_for
):  # type: ignore[no-untyped-def]
    report = _report(client, recorded, bdt_staff, token_for)
    records = report.snapshot["records"]
    assert any(TITLE == r["title"] and {"BDT-5", "BDT-7"} <= set(r["clauses"]) for r in records)
    signed = client
    signed.force_login(bdt_staff, backend="django.contrib.auth.backends.ModelBackend")
    page = _article(signed, report.pk, "en")
    assert page.count(TITLE) == 1
    assert page.count("<tr><td>") == len(records)
    assert f"The {_count(records, 'BDT-5')} records serving BDT-5" in page
    assert 'href="?lang=en&amp;clause=BDT-5#records"' in page
    docx = _docx_text(signed, report.pk, "en")
    assert docx.count(TITLE) == 1 and "Clauses: BDT-5, BDT-7" in docx
    pdf = _pdf_text(signed, report.pk, "fr")
    assert pdf.count(TITLE) == 1


def _count(records: list[dict[str, object]], clause: str) -> int:
    return sum(1 for record in records if clause in record["clauses"])  # type: ignore[operator]


def test_the_page_filters_the_annex_by_clause_and_bounds_it(client, recorded, bdt_staff, token_for):  # type: ignore[no-untyped-def]
    report = _report(client, recorded, bdt_staff, token_for)
    client.force_login(bdt_staff, backend="django.contrib.auth.backends.ModelBackend")
    narrowed = client.get(f"/en/coordination/reports/{report.pk}/", {"clause": "BDT-7"})
    html = narrowed.content.decode()
    rows = re.findall(r"<tr><td>.*?</tr>", html, re.DOTALL)
    assert rows and all("BDT-7" in row for row in rows)
    assert len(rows) == _count(report.snapshot["records"], "BDT-7")
    assert "Only the records serving BDT-7." in html
    # Many records: the page shows the first PAGE_RECORDS and says the exports have them all.
    first = report.snapshot["records"][0]
    report.snapshot["records"] = [
        {**first, "title": f"Record {n}"} for n in range(PAGE_RECORDS + 5)
    ]
    report.save(update_fields=["snapshot"])
    many = client.get(f"/ar/coordination/reports/{report.pk}/").content.decode()
    assert many.count("<tr><td>") == PAGE_RECORDS
    assert 'dir="rtl"' in many
    english = client.get(f"/en/coordination/reports/{report.pk}/").content.decode()
    assert f"{PAGE_RECORDS} of {PAGE_RECORDS + 5} records" in english
    assert f"The page shows the first {PAGE_RECORDS}." in english
    assert f"/api/v1/coordination/reports/{report.pk}/records.csv?lang=en" in english
