"""The design step through the pages (no JavaScript): the upload form takes nested PSU codes
and replicate designs, the preview names the variance method, the numbers equal ``copstats
tabulate``, and a design that is not valid is shown next to its field with nothing stored;
the mapping form saves a replicate design."""

import math
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cophub.accounts.models import User
from cophub.statistics import services
from cophub.statistics.models import Dataset, Microdata

from .conftest import dataset_make
from .survey_designs import copstats_tabulate, nested_psu_csv, replicate_csv
from .test_workspace_pages import mapping_form_data

SignIn = Callable[[User], Client]


def same_as_copstats(dataset: Dataset, reference: list[dict[str, str]]) -> int:
    cli = {
        (r["indicator"], r["statistic"], r["breakdown"], r["breakdown_value"]): r for r in reference
    }
    compared = 0
    for row in dataset.estimates.filter(suppressed=False).exclude(estimate=None):
        expected = cli[(row.indicator, row.statistic, row.breakdown, row.breakdown_value)]
        assert math.isclose(row.estimate, float(expected["estimate"]), rel_tol=1e-12)
        assert math.isclose(row.se, float(expected["se"]), rel_tol=1e-9)
        compared += 1
    return compared


@pytest.mark.parametrize(
    ("content", "design", "said"),
    [
        (
            nested_psu_csv,
            {"weight": "weight", "variance": "taylor", "strata": "stratum", "psu": "psu"},
            "Taylor linearisation; PSUs numbered within their stratum (nested); 20 degrees",
        ),
        (
            lambda: replicate_csv("nhanes2jk"),
            {
                "weight": "finalwgt",
                "variance": "replication",
                "rep_method": "jk1",
                "rep_columns": "jkw_",
            },
            "Replicate weights: Jackknife JK1 (delete one PSU, unstratified), 62 replicates; "
            "61 degrees of freedom",
        ),
    ],
)
def test_the_upload_page_takes_the_design_and_the_preview_names_the_variance(
    focal_ke: User,
    signed_in: SignIn,
    mapping: dict[str, Any],
    content: Callable[[], bytes],
    design: dict[str, str],
    said: str,
) -> None:
    dataset = dataset_make(focal_ke)
    services.dataset_mapping_set(actor=focal_ke, dataset=dataset, document=mapping)
    browser = signed_in(focal_ke)
    base = f"/en/statistics/datasets/{dataset.pk}/"
    form = browser.get(f"{base}upload/").content.decode()
    assert 'name="rep_method"' in form and 'name="psu_unique"' in form
    data = content()
    response = browser.post(f"{base}upload/", {"file": SimpleUploadedFile("s.csv", data), **design})
    assert response.status_code == 302, response.content.decode()[:2000]
    checked = Dataset.objects.get(pk=dataset.pk)
    assert checked.check_status == Dataset.Check.PASSED, checked.check_report
    assert said in browser.get(f"{base}preview/").content.decode()
    assert said in browser.get(base).content.decode()
    reference = copstats_tabulate(data, {**mapping, "design": checked.mapping["design"]}, "dhs")
    assert same_as_copstats(checked, reference) > 100


def test_a_design_that_is_not_valid_is_shown_next_to_its_field_in_the_readers_language(
    focal_ke: User, signed_in: SignIn, mapping: dict[str, Any]
) -> None:
    dataset = dataset_make(focal_ke)
    services.dataset_mapping_set(actor=focal_ke, dataset=dataset, document=mapping)
    browser = signed_in(focal_ke)
    page = browser.post(
        f"/fr/statistics/datasets/{dataset.pk}/upload/",
        {"file": SimpleUploadedFile("s.csv", replicate_csv("nhanes2brr")), "weight": "finalwgt",
         "variance": "replication", "rep_method": "fay", "rep_columns": "brr_"},
    ).content.decode()  # fmt: skip
    assert "La méthode de Fay demande ρ" in page
    assert not Microdata.objects.filter(dataset=dataset).exists()
    assert Dataset.objects.get(pk=dataset.pk).check_status == Dataset.Check.NONE


def test_the_mapping_form_saves_a_replicate_design_and_shows_it_again(
    focal_ke: User, signed_in: SignIn, mapping: dict[str, Any]
) -> None:
    dataset = dataset_make(focal_ke)
    browser = signed_in(focal_ke)
    base = f"/en/statistics/datasets/{dataset.pk}/mapping/"
    data = mapping_form_data(mapping)
    data.update(weight="finalwgt", strata="", psu="", variance="replication", rep_method="fay",
                rep_columns="brr_", rep_fay="0.3", rep_df="20")  # fmt: skip
    assert browser.post(base, data).status_code == 302
    saved = Dataset.objects.get(pk=dataset.pk).mapping["design"]
    assert saved == {
        "weight": "finalwgt",
        "replicates": {"method": "fay", "columns": "brr_", "fay": 0.3, "df": 20},
    }
    again = browser.get(base).content.decode()
    assert 'value="0.3"' in again
    assert re.search(r'value="replication"[^>]*checked', again)
