"""Aggregate tables through the XLSX template: generated per country and year, read back all
or nothing, every problem naming its cell."""

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from cophub.accounts.models import User
from cophub.statistics.models import Dataset, Estimate, Microdata

from .conftest import dataset_make, publish

Headers = Callable[[User], dict[str, str]]
pytestmark = pytest.mark.django_db


def template(client: Client, country: str = "KE", year: int = 2024) -> Any:
    response = client.get(
        f"/api/v1/statistics/templates/aggregate.xlsx?country={country}&year={year}"
    )
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def filled(book: Any, values: dict[tuple[str, str], tuple[Any, ...]]) -> bytes:
    sheet = book["COP statistics"]
    for row in sheet.iter_rows(min_row=10):
        key = (str(row[0].value or ""), str(row[3].value or ""))
        for offset, value in enumerate(values.get(key, ())):
            row[5 + offset].value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def send(
    client: Client, dataset: Dataset, content: bytes, headers: dict[str, str], name: str = "t.xlsx"
) -> Any:
    return client.post(
        f"/api/v1/statistics/datasets/{dataset.pk}/aggregate",
        data={"file": SimpleUploadedFile(name, content)},
        headers=headers,
    )


def test_template_lists_national_measures_and_survey_indicators(client: Client) -> None:
    sheet = template(client)["COP statistics"]
    assert sheet["B3"].value == "cophub-aggregate/1" and sheet["B4"].value == "KE"
    keys = [(r[0], r[3]) for r in sheet.iter_rows(min_row=10, values_only=True)]
    assert ("N4", "received") in keys and ("N4", "confirmed") in keys and ("R1", None) in keys
    assert (
        client.get("/api/v1/statistics/templates/aggregate.xlsx?country=ZZ&year=2024").status_code
        == 422
    )


def test_a_filled_template_becomes_disclosure_controlled_estimates(
    client: Client, focal_ke: User, bdt_staff: User, token_for: Headers
) -> None:
    dataset = dataset_make(focal_ke, kind=Dataset.Kind.AGGREGATE, disclosure="dhs")
    content = filled(
        template(client),
        {
            ("N1", ""): (4,),
            ("N4", "received"): (120,),
            ("R1", ""): (0.31, 0.02, 800),
            ("R6", ""): (0.05, 0.01, 20),
        },
    )
    body = send(client, dataset, content, token_for(focal_ke)).json()
    assert body["check"] == "passed"
    r1 = Estimate.objects.get(dataset=dataset, indicator="R1")
    assert (
        r1.ci_low is not None and r1.ci_low < 0.31 < r1.ci_high and r1.comparability == "df_assumed"
    )
    r6 = Estimate.objects.get(dataset=dataset, indicator="R6")
    assert r6.suppressed and r6.estimate is None and r6.flag == "n<25"
    n1 = Estimate.objects.get(dataset=dataset, indicator="N1")
    assert n1.estimate == 4 and n1.method == "administrative"
    publish(Dataset.objects.get(pk=dataset.pk), focal_ke, bdt_staff)
    rows = client.get("/api/v1/statistics/observations?indicator=N4").json()["results"]
    assert rows[0]["measure"] == "received" and rows[0]["estimate"] == 120


def _failed_report(response: Any) -> dict[str, str]:
    """The problems of a template whose background check failed, by cell."""
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["check"] == "failed" and not body["has_microdata"]
    return {f"{e['column']}{e['rows'][0]}": e["text"] for e in body["report"]["errors"]}


def test_wrong_template_version_names_the_cell_and_nothing_is_written(
    client: Client, focal_ke: User, token_for: Headers
) -> None:
    dataset = dataset_make(focal_ke, kind=Dataset.Kind.AGGREGATE)
    book = template(client)
    book["COP statistics"]["B3"] = "cophub-aggregate/0"
    response = send(client, dataset, filled(book, {("N1", ""): (4,)}), token_for(focal_ke))
    errors = _failed_report(response)
    assert list(errors) == ["B3"] and "cophub-aggregate/0" in errors["B3"]
    assert not Estimate.objects.filter(dataset=dataset).exists()
    assert not Microdata.objects.filter(dataset=dataset).exists()


def test_out_of_range_values_and_wrong_country_name_their_cells(
    client: Client, focal_ke: User, token_for: Headers
) -> None:
    dataset = dataset_make(focal_ke, kind=Dataset.Kind.AGGREGATE)
    book = template(client, country="BR")
    content = filled(book, {("N1", ""): (7,), ("R1", ""): ("lots", None, None), ("N2", ""): (1,)})
    response = send(client, dataset, content, token_for(focal_ke))
    fields = _failed_report(response)
    assert "B4" in fields and "BR" in fields["B4"]
    n1 = next(f for f in fields if fields[f].startswith(f"Cell {f}: 7"))
    assert n1.startswith("F") and "(0–5)" in fields[n1]
    assert any("not a number" in m for m in fields.values())
    assert not Estimate.objects.filter(dataset=dataset).exists()
    # The report is kept as codes and read in the reader's language.
    french = client.get(
        f"/api/v1/statistics/datasets/{dataset.pk}",
        headers={**token_for(focal_ke), "Accept-Language": "fr"},
    ).json()["report"]["errors"]
    assert any(e["text"].startswith("Cellule B4") for e in french), french


def test_a_non_workbook_is_refused(client: Client, focal_ke: User, token_for: Headers) -> None:
    dataset = dataset_make(focal_ke, kind=Dataset.Kind.AGGREGATE)
    response = send(client, dataset, b"indicator,value\nN1,4\n", token_for(focal_ke), name="t.csv")
    assert (
        response.status_code == 422 and response.json()["details"]["errors"][0]["field"] == "file"
    )
