"""Survey microdata: upload in every format, background check, report by variable and row,
preview with SE, CI and the disclosure decision; encrypted at rest, never exposed; nothing
kept of a failed upload."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from cophub.accounts.models import User
from cophub.statistics import encryption
from cophub.statistics.models import Dataset, Microdata

from .conftest import api, dataset_make, survey_bytes, upload


def post_file(
    client: Client, url: str, headers: dict[str, str], name: str, content: bytes, **fields: Any
) -> Any:
    data = {"file": SimpleUploadedFile(name, content), **fields}
    return client.post(url, data=data, headers=headers)


@pytest.mark.parametrize("kind", ["csv", "parquet", "xlsx", "sav", "dta"])
def test_every_survey_format_is_checked_and_previewed(
    client: Client,
    focal_ke: User,
    mapping: dict[str, Any],
    token_for: Callable[[User], dict[str, str]],
    kind: str,
) -> None:
    headers = token_for(focal_ke)
    dataset = dataset_make(focal_ke)
    url = f"/api/v1/statistics/datasets/{dataset.pk}"
    assert api(client, "put", f"{url}/mapping", headers, mapping).status_code == 200
    response = post_file(client, f"{url}/microdata", headers, f"survey.{kind}", survey_bytes(kind))
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["check"] == "passed", body["report"]
    assert body["has_microdata"] is True
    preview = client.get(f"{url}/estimates", headers=headers).json()["results"]
    total = next(r for r in preview if r["indicator"] == "R1" and r["breakdown"] == "_T")
    assert 0 < total["estimate"] < 1
    assert total["se"] > 0 and total["ci_low"] < total["estimate"] < total["ci_high"]
    assert total["n"] > 100 and total["deff"] > 0
    assert any(r["suppressed"] and r["flag"] for r in preview)
    suppressed = next(r for r in preview if r["suppressed"])
    assert suppressed["estimate"] is None and suppressed["se"] is None


def test_microdata_are_encrypted_at_rest_and_in_no_response(
    client: Client,
    checked_survey: Dataset,
    focal_ke: User,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    stored = Microdata.objects.get(dataset=checked_survey)
    with default_storage.open(stored.storage_name, "rb") as handle:
        raw = handle.read()
    plain = survey_bytes("parquet")
    assert raw != plain and b"PAR1" not in raw[:16]
    assert encryption.microdata_read(stored.storage_name) == plain
    headers = token_for(focal_ke)
    detail = client.get(f"/api/v1/statistics/datasets/{checked_survey.pk}", headers=headers)
    assert stored.storage_name not in detail.content.decode()
    assert "storage_name" not in detail.json()


@override_settings(COPHUB_MICRODATA_KEY="3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
def test_a_configured_key_is_used_instead_of_the_derived_one() -> None:
    name = encryption.microdata_store(b"age,sex\n12,female\n")
    assert encryption.microdata_read(name) == b"age,sex\n12,female\n"
    with override_settings(COPHUB_MICRODATA_KEY=None), pytest.raises(encryption.InvalidToken):
        encryption.microdata_read(name)


def test_a_failed_check_reports_by_variable_and_row_and_keeps_no_file(
    client: Client,
    focal_ke: User,
    mapping: dict[str, Any],
    token_for: Callable[[User], dict[str, str]],
) -> None:
    mapping["variables"]["sex"]["codes"] = {"female": "female"}  # "male" is now unmapped
    mapping["variables"]["age"] = {"source": "age"}
    mapping["survey"]["age"] = [10, 17]  # 9-year-olds are now out of range
    headers = token_for(focal_ke)
    dataset = dataset_make(focal_ke)
    url = f"/api/v1/statistics/datasets/{dataset.pk}"
    api(client, "put", f"{url}/mapping", headers, mapping)
    body = post_file(client, f"{url}/microdata", headers, "s.parquet", survey_bytes()).json()
    assert body["check"] == "failed"
    errors = {e["code"]: e for e in body["report"]["errors"]}
    unmapped = errors["mapping_value_unmapped"]
    assert unmapped["variable"] == "sex" and unmapped["column"] == "sex"
    assert unmapped["rows"] and unmapped["count"] > 0 and "male" in unmapped["text"]
    out_of_range = errors["mapping_value_out_of_range"]
    assert out_of_range["variable"] == "age" and "10-17" in out_of_range["text"]
    assert body["has_microdata"] is False
    assert not Microdata.objects.filter(dataset_id=dataset.pk).exists()
    assert client.get(f"{url}/estimates", headers=headers).json()["results"] == []


def test_report_is_translated(
    client: Client,
    focal_ke: User,
    mapping: dict[str, Any],
    token_for: Callable[[User], dict[str, str]],
) -> None:
    mapping["variables"]["bothered_upset"]["source"] = "Q15_missing"
    dataset = dataset_make(focal_ke)
    upload(focal_ke, dataset, mapping)
    headers = {**token_for(focal_ke), "Accept-Language": "fr"}
    body = client.get(f"/api/v1/statistics/datasets/{dataset.pk}", headers=headers).json()
    line = body["report"]["errors"][0]
    assert line["code"] == "mapping_column_missing" and line["column"] == "Q15_missing"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("survey.txt", b"age\n12\n", "type"),
        ("survey.parquet", b"age,sex\n12,female\n", "content"),
        ("survey.csv", b"", "empty"),
    ],
)
def test_wrong_files_are_refused_naming_the_field_and_nothing_is_stored(
    client: Client,
    focal_ke: User,
    mapping: dict[str, Any],
    token_for: Callable[[User], dict[str, str]],
    name: str,
    content: bytes,
    expected: str,
) -> None:
    headers = token_for(focal_ke)
    dataset = dataset_make(focal_ke)
    url = f"/api/v1/statistics/datasets/{dataset.pk}"
    api(client, "put", f"{url}/mapping", headers, mapping)
    response = post_file(client, f"{url}/microdata", headers, name, content)
    assert response.status_code == 422
    assert response.json()["code"] == "file_rejected"
    assert response.json()["details"]["errors"][0]["field"] == "file"
    assert expected in response.json()["message"]
    assert not Microdata.objects.filter(dataset_id=dataset.pk).exists()
    assert Dataset.objects.get(pk=dataset.pk).check_status == Dataset.Check.NONE


@override_settings(COPHUB_STATISTICS_UPLOAD_LIMIT_MB=0.01)
def test_a_file_over_the_configured_limit_is_refused(
    client: Client,
    focal_ke: User,
    mapping: dict[str, Any],
    token_for: Callable[[User], dict[str, str]],
) -> None:
    headers = token_for(focal_ke)
    dataset = dataset_make(focal_ke)
    url = f"/api/v1/statistics/datasets/{dataset.pk}"
    api(client, "put", f"{url}/mapping", headers, mapping)
    response = post_file(client, f"{url}/microdata", headers, "s.csv", survey_bytes("csv"))
    assert response.status_code == 422
    assert "the largest accepted is 0.0 MB" in response.json()["message"]
    assert not Microdata.objects.filter(dataset_id=dataset.pk).exists()


def test_a_mapping_to_an_unknown_variable_is_reported(
    client: Client,
    focal_ke: User,
    mapping: dict[str, Any],
    token_for: Callable[[User], dict[str, str]],
) -> None:
    mapping["variables"]["shoe_size"] = {"source": "age"}
    dataset = dataset_make(focal_ke)
    checked = upload(focal_ke, dataset, mapping)
    assert checked.check_status == Dataset.Check.FAILED
    codes = [p["code"] for p in checked.check_report["problems"]]
    assert "mapping_variable_unknown" in codes
    problem = next(
        p for p in checked.check_report["problems"] if p["code"] == "mapping_variable_unknown"
    )
    assert problem["variable"] == "shoe_size"


def test_an_invalid_mapping_document_names_its_key_path(
    client: Client,
    focal_ke: User,
    mapping: dict[str, Any],
    token_for: Callable[[User], dict[str, str]],
) -> None:
    mapping["survey"]["population"] = "adults"
    dataset = dataset_make(focal_ke)
    response = api(
        client,
        "put",
        f"/api/v1/statistics/datasets/{dataset.pk}/mapping",
        token_for(focal_ke),
        mapping,
    )
    assert response.status_code == 422
    assert response.json()["details"]["errors"][0]["field"].startswith("survey")
    assert Dataset.objects.get(pk=dataset.pk).mapping is None


def test_the_mapping_file_and_design_columns_can_come_with_the_upload(
    client: Client,
    focal_ke: User,
    mapping: dict[str, Any],
    token_for: Callable[[User], dict[str, str]],
) -> None:
    del mapping["design"]["psu"]
    dataset = dataset_make(focal_ke)
    response = client.post(
        f"/api/v1/statistics/datasets/{dataset.pk}/microdata",
        data={
            "file": SimpleUploadedFile("s.parquet", survey_bytes()),
            "mapping_file": SimpleUploadedFile("m.json", json.dumps(mapping).encode()),
            "psu": "psu",
        },
        headers=token_for(focal_ke),
    )
    assert response.status_code == 202, response.content
    stored = Dataset.objects.get(pk=dataset.pk)
    assert stored.check_status == Dataset.Check.PASSED
    assert stored.mapping["design"]["psu"] == "psu"


def test_no_mapping_no_upload(
    client: Client, focal_ke: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    dataset = dataset_make(focal_ke)
    response = post_file(
        client,
        f"/api/v1/statistics/datasets/{dataset.pk}/microdata",
        token_for(focal_ke),
        "s.parquet",
        survey_bytes(),
    )
    assert response.status_code == 422
    assert response.json()["details"]["errors"][0]["field"] == "mapping"
    assert not Microdata.objects.filter(dataset_id=dataset.pk).exists()


def test_a_corrupt_file_fails_its_check_with_the_engines_translated_message(
    client: Client,
    focal_ke: User,
    mapping: dict[str, Any],
    token_for: Callable[[User], dict[str, str]],
) -> None:
    dataset = dataset_make(focal_ke)
    url = f"/api/v1/statistics/datasets/{dataset.pk}"
    api(client, "put", f"{url}/mapping", token_for(focal_ke), mapping)
    # The footer is intact (the upload check reads it), the data pages are not.
    broken = bytearray(survey_bytes("parquet"))
    broken[8 : len(broken) // 2] = b"\xab" * (len(broken) // 2 - 8)
    body = post_file(
        client, f"{url}/microdata", token_for(focal_ke), "broken.parquet", bytes(broken)
    ).json()
    assert body["check"] == "failed" and body["has_microdata"] is False
    assert "broken.parquet" in body["report"]["error"]
    french = client.get(url, headers={**token_for(focal_ke), "Accept-Language": "fr"}).json()
    assert "broken.parquet" in french["report"]["error"]
    assert french["report"]["error"] != body["report"]["error"]
