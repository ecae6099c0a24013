"""The workspace through its pages (no JavaScript): open a dataset, write the mapping in the
form, upload, read the report, preview, and take the workflow to publication."""

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cophub.accounts.models import User
from cophub.statistics.mappings import variable_entry
from cophub.statistics.models import Dataset, Release

from .conftest import survey_bytes

SignIn = Callable[[User], Client]


def mapping_form_data(mapping: dict[str, Any]) -> dict[str, str]:
    data = {
        "survey_name": "Page survey",
        "population": "all_children",
        "age_min": "9",
        "age_max": "17",
        "weight": "weight",
        "strata": "stratum",
        "psu": "psu",
        "fpc": "",
    }
    for name, spec in mapping["variables"].items():
        for part, text in variable_entry(spec).items():
            data[f"{name}__{part}"] = text
    return data


def test_a_focal_point_takes_a_survey_from_draft_to_publication_through_pages(
    focal_ke: User, bdt_staff: User, signed_in: SignIn, mapping: dict[str, Any]
) -> None:
    browser = signed_in(focal_ke)
    form = browser.get("/en/statistics/datasets/new/").content.decode()
    assert '<option value="KE">Kenya</option>' in form and 'value="BR"' not in form
    created = browser.post(
        "/en/statistics/datasets/new/",
        {"kind": "survey", "country": "KE", "year": "2024", "title": "Page survey",
         "disclosure": "dhs", "ci": "logit"},
    )  # fmt: skip
    assert created.status_code == 302
    dataset = Dataset.objects.get(title="Page survey")
    base = f"/en/statistics/datasets/{dataset.pk}/"
    bad = mapping_form_data(mapping)
    bad["sex__codes"] = "female-female"
    page = browser.post(f"{base}mapping/", bad).content.decode()
    assert "is not of the form code=value" in page
    assert browser.post(f"{base}mapping/", mapping_form_data(mapping)).status_code == 302
    assert Dataset.objects.get(pk=dataset.pk).mapping["variables"]["sex"]["codes"]
    upload = browser.post(
        f"{base}upload/", {"file": SimpleUploadedFile("s.csv", survey_bytes("csv"))}
    )
    assert upload.status_code == 302
    detail = browser.get(base).content.decode()
    assert "Check report" in detail and "Passed" in detail
    preview = browser.get(f"{base}preview/?indicator=R1").content.decode()
    assert "Suppressed" in preview or "published" in preview
    assert browser.post(f"{base}submit/").status_code == 302
    browser.post(f"{base}approve/", {"comment": "fine"})
    reviewer = signed_in(bdt_staff)
    reviewer.post(f"{base}review/", {"comment": "checked"})
    browser = signed_in(focal_ke)
    browser.post(f"{base}publish/")
    assert Dataset.objects.get(pk=dataset.pk).status == Dataset.Status.PUBLISHED
    code = Release.objects.get(dataset=dataset).code
    withdraw = browser.post(f"/en/statistics/releases/{code}/withdraw/", {"reason": "Test"})
    assert withdraw.status_code == 302
    assert Release.objects.get(code=code).withdrawn_at is not None


def test_a_country_not_held_is_named_on_the_form(focal_ke: User, signed_in: SignIn) -> None:
    browser = signed_in(focal_ke)
    page = browser.post(
        "/en/statistics/datasets/new/",
        {"kind": "survey", "country": "BR", "year": "2024", "title": "X", "disclosure": "dhs",
         "ci": "logit"},
    )  # fmt: skip
    assert page.status_code == 200 and "Select a valid choice" in page.content.decode()
    assert not Dataset.objects.exists()


def test_failed_upload_shows_the_report_by_variable_and_row(
    focal_ke: User, signed_in: SignIn, mapping: dict[str, Any]
) -> None:
    browser = signed_in(focal_ke)
    browser.post(
        "/en/statistics/datasets/new/",
        {"kind": "survey", "country": "KE", "year": "2024", "title": "Bad", "disclosure": "dhs",
         "ci": "logit"},
    )  # fmt: skip
    dataset = Dataset.objects.get(title="Bad")
    base = f"/en/statistics/datasets/{dataset.pk}/"
    mapping["variables"]["sex"]["codes"] = {"female": "female"}
    data = mapping_form_data(mapping)
    browser.post(f"{base}mapping/", data)
    browser.post(f"{base}upload/", {"file": SimpleUploadedFile("s.parquet", survey_bytes())})
    page = browser.get(base).content.decode()
    assert "Errors by variable and row" in page and "“male” has no code" in page
    french = browser.get(f"/fr/statistics/datasets/{dataset.pk}/")
    assert french.status_code == 200
    wrong = browser.post(f"{base}upload/", {"file": SimpleUploadedFile("s.exe", b"MZ")})
    assert "are not accepted" in wrong.content.decode()


def test_grants_are_managed_on_the_page(
    focal_ke: User, stats_office: User, signed_in: SignIn
) -> None:
    browser = signed_in(focal_ke)
    browser.post(
        "/en/statistics/datasets/new/",
        {"kind": "aggregate", "country": "KE", "year": "2024", "title": "Agg",
         "disclosure": "dhs", "ci": "logit"},
    )  # fmt: skip
    dataset = Dataset.objects.get(title="Agg")
    browser.post(f"/en/statistics/datasets/{dataset.pk}/grants/", {"username": "nso-ke"})
    assert dataset.grants.filter(user=stats_office).exists()
    office = signed_in(stats_office)
    listing = office.get("/en/statistics/datasets/").content.decode()
    assert "Agg" in listing and "Open a new dataset" not in listing
    assert (
        office.post(f"/en/statistics/datasets/{dataset.pk}/grants/", {"username": "x"}).status_code
        == 403
    )
