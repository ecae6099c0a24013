"""A report's records outside the report (issue 17, items 1 and 4; decision 0044): the
report's API answer counts them per clause and links to them; the records are a paged list
(``clause=`` filters) and one CSV file; the DOCX and PDF list the first ``EXPORT_RECORDS``
and name that file."""

import csv
import io

import pytest

from cophub.coordination.models import Report
from cophub.coordination.reports.rendering import EXPORT_RECORDS

from ..conftest import compile_report
from .test_freeze import _docx_text, _pdf_text

pytestmark = pytest.mark.django_db
API = "/api/v1/coordination/reports"


def _many(client, recorded, bdt_staff, token_for, count: int) -> Report:  # type: ignore[no-untyped-def]
    """A compiled report whose snapshot holds ``count`` records, every third serving BDT-7."""
    response = compile_report(client, token_for(bdt_staff), recorded)
    assert response.status_code == 201, response.content
    report = Report.objects.get(pk=response.json()["id"])
    first = report.snapshot["records"][0]
    report.snapshot["records"] = [
        {
            **first,
            "on": f"2026-0{1 + n % 3}-{1 + n % 28:02d}",
            "title": f"Record {n:04d}",
            "clauses": ["BDT-5", "BDT-7"] if n % 3 == 0 else ["BDT-5"],
        }
        for n in range(count)
    ]
    report.save(update_fields=["snapshot"])
    client.force_login(bdt_staff, backend="django.contrib.auth.backends.ModelBackend")
    return report


def _walk(client, link: str) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    rows: list[dict[str, object]] = []
    pages = 0
    while link:
        response = client.get(link)
        assert response.status_code == 200, response.content[:300]
        page = response.json()
        rows += page["results"]
        link = page["next"]
        pages += 1
    assert pages > 1
    return rows


def test_the_report_counts_its_records_per_clause_and_pages_them(
    client, recorded, bdt_staff, token_for
):  # type: ignore[no-untyped-def]
    report = _many(client, recorded, bdt_staff, token_for, 250)
    detail = client.get(f"{API}/{report.pk}").json()
    assert detail["records_count"] == 250
    counts = {clause["clause"]: clause["records"] for clause in detail["clauses"]}
    assert counts["BDT-5"] == 250 and counts["BDT-7"] == 84 and 0 in counts.values()
    first = client.get(detail["records"]).json()
    assert len(first["results"]) == 50 and first["previous"] is None
    every = _walk(client, f"{detail['records']}?page_size=40")
    assert [row["number"] for row in every] == list(range(1, 251))
    assert len({row["title"] for row in every}) == 250
    dates = [row["on"] for row in every]
    assert dates == sorted(dates)
    second = client.get(client.get(f"{detail['records']}?page_size=40").json()["next"]).json()
    back = client.get(second["previous"]).json()
    assert [row["number"] for row in back["results"]] == list(range(1, 41))
    served = _walk(client, f"{detail['records']}?clause=BDT-7&page_size=30")
    assert len(served) == 84 and all("BDT-7" in row["clauses"] for row in served)  # type: ignore[operator]
    too_big = client.get(detail["records"], {"page_size": 501})
    assert too_big.status_code == 422
    forged = client.get(detail["records"], {"cursor": "not-a-cursor"})
    assert forged.status_code == 422
    assert forged.json()["details"]["errors"][0]["field"] == "cursor"


def test_the_records_file_has_every_record_once(client, recorded, bdt_staff, token_for):  # type: ignore[no-untyped-def]
    report = _many(client, recorded, bdt_staff, token_for, 250)
    response = client.get(f"{API}/{report.pk}/records.csv", {"lang": "fr"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["number"] for row in rows] == [str(n) for n in range(1, 251)]
    assert len({row["title"] for row in rows}) == 250
    assert {row["clauses"] for row in rows} == {"BDT-5", "BDT-5 BDT-7"}
    assert client.get(f"{API}/{report.pk}/records.csv", {"lang": "xx"}).status_code == 422


def test_the_exports_list_the_first_records_and_name_the_records_file(
    client, recorded, bdt_staff, token_for
):  # type: ignore[no-untyped-def]
    report = _many(client, recorded, bdt_staff, token_for, EXPORT_RECORDS + 7)
    docx = _docx_text(client, report.pk, "en")
    assert docx.count("Record 0") == EXPORT_RECORDS
    assert f"Records listed here: {EXPORT_RECORDS} of {EXPORT_RECORDS + 7}." in docx
    assert f"/reports/{report.pk}/records.csv?lang=en" in docx
    pdf = _pdf_text(client, report.pk, "fr")
    assert f"/reports/{report.pk}/records.csv?lang=fr" in pdf.replace("\r", "").replace("\n", "")


def test_a_report_with_few_records_lists_them_all_in_its_exports(
    client, recorded, bdt_staff, token_for
):  # type: ignore[no-untyped-def]
    report = _many(client, recorded, bdt_staff, token_for, 12)
    docx = _docx_text(client, report.pk, "en")
    assert docx.count("Record 00") == 12 and "Records listed here" not in docx
