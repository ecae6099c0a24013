"""Open data: observations as JSON, CSV and SDMX-CSV with estimate, SE, CI, n, flags, release
id and licence; bulk download; DHIS2 dataValueSets."""

import csv
import io
import json

from django.test import Client

from cophub.statistics.models import Dataset, Release

BASE = "/api/v1/statistics/observations"


def test_json_rows_carry_everything_a_user_needs(client: Client, published_survey: Dataset) -> None:
    code = Release.objects.get(dataset=published_survey).code
    body = client.get(f"{BASE}?indicator=R1&country=KE&breakdown=_T").json()
    assert body["count"] == 1 and body["licence"] == "CC-BY-4.0"
    row = body["results"][0]
    for key in ("estimate", "se", "ci_low", "ci_high", "n", "flag", "comparability", "suppressed"):
        assert key in row
    assert row["release"] == code and row["licence"] == "CC-BY-4.0" and row["year"] == 2024
    assert row["ci_low"] < row["estimate"] < row["ci_high"]
    assert client.get(f"{BASE}?limit=0").status_code == 422


def test_json_pages_follow_the_cursor_to_every_row_once(
    client: Client, published_survey: Dataset
) -> None:
    first = client.get(f"{BASE}?country=KE&limit=7").json()
    total = first["count"]
    assert total > 14 and len(first["results"]) == 7 and first["previous"] is None
    seen = [tuple(r.values()) for r in first["results"]]
    link = first["next"]
    while link:
        page = client.get(link).json()
        assert page["count"] is None and len(page["results"]) <= 7
        seen += [tuple(r.values()) for r in page["results"]]
        link = page["next"]
    assert len(seen) == total == len(set(seen))
    everything = client.get(f"{BASE}?country=KE&limit=10000").json()["results"]
    assert seen == [tuple(r.values()) for r in everything]


def test_offset_and_forged_cursors_are_refused_naming_the_field(client: Client) -> None:
    offset = client.get(f"{BASE}?limit=5&offset=5")
    assert offset.status_code == 422
    assert offset.json()["details"]["errors"][0]["field"] == "offset"
    for forged in ("not-base64!", "cD1hYmM=", "bz0tNQ=="):
        refused = client.get(f"{BASE}?cursor={forged}")
        assert refused.status_code == 422, forged
        assert refused.json()["details"]["errors"][0]["field"] == "cursor"


def test_csv_bulk_download_streams_every_row(client: Client, published_survey: Dataset) -> None:
    response = client.get(f"{BASE}?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == client.get(BASE).json()["count"]
    suppressed = next(r for r in rows if r["suppressed"] == "true")
    assert suppressed["estimate"] == "" and suppressed["n"] == "" and suppressed["flag"]
    assert all(r["licence"] == "CC-BY-4.0" and r["release"] for r in rows)


def test_sdmx_csv_marks_suppressed_cells_confidential(
    client: Client, published_survey: Dataset
) -> None:
    response = client.get(f"{BASE}?format=sdmx-csv")
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert (
        rows[0]["STRUCTURE"] == "dataflow"
        and rows[0]["STRUCTURE_ID"] == "COPHUB:DF_COP_OBSERVATIONS(1.0)"
    )
    assert {r["CONF_STATUS"] for r in rows} == {"C", "F"}
    assert all(r["OBS_VALUE"] == "" for r in rows if r["CONF_STATUS"] == "C")
    assert all(r["REF_AREA"] == "KE" and r["TIME_PERIOD"] == "2024" and r["RELEASE"] for r in rows)


def test_an_unknown_format_is_refused(client: Client) -> None:
    response = client.get(f"{BASE}?format=xml")
    assert (
        response.status_code == 422 and response.json()["details"]["errors"][0]["field"] == "format"
    )


def test_dhis2_data_value_sets(client: Client, published_survey: Dataset) -> None:
    response = client.get("/api/v1/statistics/dhis2/dataValueSets?country=KE&indicator=R1")
    body = json.loads(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert body["dataElementIdScheme"] == "CODE" and body["orgUnitIdScheme"] == "CODE"
    values = body["dataValues"]
    total = next(v for v in values if v["categoryOptionCombo"] == "default")
    assert (
        total["dataElement"] == "COP_R1" and total["orgUnit"] == "KE" and total["period"] == "2024"
    )
    assert "release=" in total["comment"] and "se=" in total["comment"]
    assert all(v["value"] for v in values)
    everything = client.get("/api/v1/statistics/dhis2/dataValueSets?country=KE")
    omitted = int(everything["X-Cophub-Suppressed-Omitted"])
    listed = json.loads(b"".join(everything.streaming_content))["dataValues"]  # type: ignore[attr-defined]
    assert omitted > 0
    assert len(listed) + omitted == client.get(f"{BASE}?country=KE").json()["count"]
