"""The design step of a survey upload, through the API: PSU codes nested in strata (the
default) or unique, and replicate-weight designs; the numbers equal ``copstats tabulate`` on
the same file; the preview and the release name the variance method; a design that is not
valid is refused naming its field, with nothing stored."""

import math
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cophub.accounts.models import User
from cophub.statistics.models import Dataset, DatasetEvent, Microdata, Release

from .conftest import api, dataset_make, publish
from .survey_designs import copstats_tabulate, nested_psu_csv, replicate_csv

DESIGN_FIELDS = ("weight", "strata", "psu", "fpc", "psu_unique", "variance")


def upload_with_design(
    client: Client, headers: dict[str, str], dataset: Dataset, content: bytes, **design: Any
) -> Any:
    url = f"/api/v1/statistics/datasets/{dataset.pk}/microdata"
    data = {"file": SimpleUploadedFile("survey.csv", content), **design}
    return client.post(url, data=data, headers=headers)


def assert_same_as_copstats(
    client: Client, headers: dict[str, str], dataset: Dataset, reference: list[dict[str, str]]
) -> int:
    """Every cell the platform shows equals the CLI's (estimate 1e-12, SE 1e-9 relative);
    returns how many were compared."""
    cli = {
        (r["indicator"], r["statistic"], r["breakdown"], r["breakdown_value"]): r for r in reference
    }
    rows: list[dict[str, Any]] = []
    url: str | None = f"/api/v1/statistics/datasets/{dataset.pk}/estimates?page_size=2000"
    while url:
        page = client.get(url, headers=headers).json()
        rows += page["results"]
        url = page["next"]
    compared = 0
    for row in rows:
        if row["suppressed"] or row["estimate"] is None:
            continue
        expected = cli[
            (row["indicator"], row["statistic"], row["breakdown"], row["breakdown_value"])
        ]
        assert math.isclose(row["estimate"], float(expected["estimate"]), rel_tol=1e-12)
        assert math.isclose(row["se"], float(expected["se"]), rel_tol=1e-9), row
        assert row["n"] == int(expected["n"]) and row["df"] == int(expected["df"])
        compared += 1
    return compared


@pytest.fixture
def opened(
    focal_ke: User,
    mapping: dict[str, Any],
    client: Client,
    token_for: Callable[[User], dict[str, str]],
) -> tuple[Dataset, dict[str, str]]:
    headers = token_for(focal_ke)
    dataset = dataset_make(focal_ke)
    url = f"/api/v1/statistics/datasets/{dataset.pk}/mapping"
    assert api(client, "put", url, headers, mapping).status_code == 200
    return dataset, headers


def test_nested_psu_codes_are_accepted_and_equal_copstats(
    client: Client, opened: tuple[Dataset, dict[str, str]], mapping: dict[str, Any]
) -> None:
    dataset, headers = opened
    content = nested_psu_csv()
    response = upload_with_design(
        client, headers, dataset, content, weight="weight", strata="stratum", psu="psu"
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["check"] == "passed", body["report"]
    assert body["variance"] == {"method": "taylor", "psu": "nested", "strata": True, "df": 20}
    assert "nested" in body["variance_text"]
    assert body["design"] == {"weight": "weight", "strata": "stratum", "psu": "psu"}
    reference = copstats_tabulate(content, {**mapping, "design": body["design"]}, "dhs")
    assert assert_same_as_copstats(client, headers, dataset, reference) > 100


def test_unique_psu_codes_asked_for_refuse_a_code_in_two_strata(
    client: Client, opened: tuple[Dataset, dict[str, str]]
) -> None:
    dataset, headers = opened
    response = upload_with_design(
        client,
        headers,
        dataset,
        nested_psu_csv(),
        weight="weight",
        strata="stratum",
        psu="psu",
        psu_unique="true",
    )
    body = response.json()
    assert body["check"] == "failed"
    error = body["report"]["errors"][0]
    assert error["code"] == "psu_in_two_strata" and error["column"] == "psu"
    assert "stratum" in error["text"]
    assert not Microdata.objects.filter(dataset=dataset).exists()


@pytest.mark.parametrize(
    ("name", "design", "variance"),
    [
        (
            "nhanes2brr",
            {
                "weight": "finalwgt",
                "variance": "replication",
                "rep_method": "brr",
                "rep_columns": "brr_",
            },
            {"method": "replication", "replication_method": "brr", "replicates": 32, "df": 31},
        ),
        (
            "nhanes2jk",
            {
                "weight": "finalwgt",
                "variance": "replication",
                "rep_method": "jkn",
                "rep_columns": "jkw_",
                "rep_multipliers": "0.5",
                "rep_df": "31",
            },
            {
                "method": "replication",
                "replication_method": "jkn",
                "replicates": 62,
                "df": 31,
                "multipliers": [0.5],
            },
        ),
    ],
)
def test_replicate_weight_designs_equal_copstats_and_are_published(
    client: Client,
    opened: tuple[Dataset, dict[str, str]],
    mapping: dict[str, Any],
    focal_ke: User,
    bdt_staff: User,
    name: str,
    design: dict[str, str],
    variance: dict[str, Any],
) -> None:
    dataset, headers = opened
    content = replicate_csv(name)
    body = upload_with_design(client, headers, dataset, content, **design).json()
    assert body["check"] == "passed", body["report"]
    assert body["variance"] == variance
    assert str(variance["replicates"]) in body["variance_text"]
    replicates = body["design"]["replicates"]
    assert replicates["method"] == design["rep_method"]
    reference = copstats_tabulate(content, {**mapping, "design": body["design"]}, "dhs")
    assert assert_same_as_copstats(client, headers, dataset, reference) > 100
    # The release carries the variance method into the public metadata.
    publish(Dataset.objects.get(pk=dataset.pk), focal_ke, bdt_staff)
    release = Release.objects.get(dataset=dataset)
    listed = next(
        r
        for r in client.get("/api/v1/statistics/releases").json()["results"]
        if r["release"] == release.code
    )
    assert listed["variance"] == variance
    assert str(variance["replicates"]) in listed["variance_text"]
    page = client.get("/en/countries/KE/").content.decode()
    assert listed["variance_text"] in page


@pytest.mark.parametrize(
    ("design", "field"),
    [
        (
            {
                "weight": "finalwgt",
                "variance": "replication",
                "rep_method": "fay",
                "rep_columns": "brr_",
            },
            "rep_fay",
        ),
        (
            {
                "weight": "finalwgt",
                "variance": "replication",
                "rep_method": "jk1",
                "rep_columns": "brr_",
                "rep_fay": "0.3",
            },
            "rep_fay",
        ),
        (
            {
                "weight": "finalwgt",
                "variance": "replication",
                "rep_method": "jkn",
                "rep_columns": "jkw_",
            },
            "rep_multipliers",
        ),
        (
            {
                "weight": "finalwgt",
                "variance": "replication",
                "rep_method": "brr",
                "rep_columns": "brr_",
                "strata": "stratum",
            },
            "strata",
        ),
        ({"variance": "replication", "rep_method": "brr", "rep_columns": "brr_"}, "weight"),
        ({"weight": "finalwgt", "variance": "replication", "rep_columns": "brr_"}, "rep_method"),
        (
            {
                "weight": "finalwgt",
                "variance": "replication",
                "rep_method": "brr",
                "rep_columns": "brr_",
                "rep_multipliers": "0.5, x",
            },
            "rep_multipliers",
        ),
        (
            {
                "weight": "finalwgt",
                "variance": "replication",
                "rep_method": "brr",
                "rep_columns": "brr_",
                "rep_df": "0",
            },
            "rep_df",
        ),
        ({"weight": "finalwgt", "rep_method": "brr", "rep_columns": "brr_"}, "rep_method"),
        ({"weight": "weight", "psu_unique": "true"}, "psu_unique"),
    ],
)
def test_a_design_that_is_not_valid_names_its_field_and_stores_nothing(
    client: Client, opened: tuple[Dataset, dict[str, str]], design: dict[str, str], field: str
) -> None:
    dataset, headers = opened
    before = Dataset.objects.get(pk=dataset.pk).mapping
    response = upload_with_design(
        client,
        {**headers, "Accept-Language": "fr"},
        dataset,
        replicate_csv("nhanes2brr"),
        **design,
    )
    assert response.status_code == 422, response.content
    errors = response.json()["details"]["errors"]
    assert field in [e["field"] for e in errors], errors
    assert not Microdata.objects.filter(dataset=dataset).exists()
    assert not DatasetEvent.objects.filter(dataset=dataset, action="uploaded").exists()
    assert Dataset.objects.get(pk=dataset.pk).mapping == before


def test_replicate_columns_missing_or_not_numbers_fail_the_check_naming_the_column(
    client: Client, opened: tuple[Dataset, dict[str, str]]
) -> None:
    dataset, headers = opened
    design = {"weight": "finalwgt", "variance": "replication", "rep_method": "brr"}
    missing = upload_with_design(
        client, headers, dataset, replicate_csv("nhanes2brr"), rep_columns="rw_", **design
    ).json()
    assert missing["check"] == "failed"
    assert missing["report"]["errors"][0]["column"] == "rw_1"
    lines = replicate_csv("nhanes2brr").decode().splitlines()
    header = lines[0].split(",")
    position = header.index('"brr_3"') if '"brr_3"' in header else header.index("brr_3")
    cells = lines[5].split(",")
    cells[position] = "abc"
    lines[5] = ",".join(cells)
    broken = upload_with_design(
        client, headers, dataset, "\n".join(lines).encode(), rep_columns="brr_", **design
    ).json()
    assert broken["check"] == "failed"
    text = broken["report"]["error"] or broken["report"]["errors"][0]["text"]
    assert "brr_3" in text, broken["report"]
    assert not Microdata.objects.filter(dataset=dataset).exists()
