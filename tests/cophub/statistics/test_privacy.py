"""Differential privacy: ε recorded in the dataset's ledger, visible to its owners; a run past
the budget is refused and changes nothing."""

from collections.abc import Callable
from typing import Any

from django.test import Client

from cophub.accounts.models import User
from cophub.statistics.models import Dataset, LedgerEntry

from .conftest import dataset_make, upload

Headers = Callable[[User], dict[str, str]]


def private_dataset(user: User, budget: float) -> Dataset:
    return dataset_make(
        user, disclosure="dp", dp_epsilon=1.0, dp_weight_cap=500.0, dp_budget=budget
    )


def test_a_private_run_spends_epsilon_in_the_ledger(
    client: Client, focal_ke: User, outsider: User, mapping: dict[str, Any], token_for: Headers
) -> None:
    dataset = upload(focal_ke, private_dataset(focal_ke, 1.5), mapping)
    assert dataset.check_status == Dataset.Check.PASSED
    entry = LedgerEntry.objects.get(dataset=dataset)
    assert 0.99 < entry.epsilon <= 1.0 and entry.sampler == "opendp" and entry.queries > 0
    estimates = dataset.estimates.exclude(method="")
    assert estimates.exists() and not estimates.filter(se__isnull=False).exists()
    assert not estimates.filter(n__isnull=False).exists()
    url = f"/api/v1/statistics/datasets/{dataset.pk}/ledger"
    assert client.get(url, headers=token_for(outsider)).status_code == 404
    ledger = client.get(url, headers=token_for(focal_ke)).json()
    assert ledger["budget_epsilon"] == 1.5 and len(ledger["releases"]) == 1


def test_a_run_past_the_budget_is_refused(
    client: Client, focal_ke: User, mapping: dict[str, Any], token_for: Headers
) -> None:
    dataset = upload(focal_ke, private_dataset(focal_ke, 1.5), mapping)
    again = upload(focal_ke, Dataset.objects.get(pk=dataset.pk), mapping)
    assert again.check_status == Dataset.Check.FAILED
    assert again.check_report["error"]["code"] == "privacy_budget_exceeded"
    assert LedgerEntry.objects.filter(dataset=dataset).count() == 1
    assert not again.estimates.exists()
    body = client.get(
        f"/api/v1/statistics/datasets/{dataset.pk}", headers=token_for(focal_ke)
    ).json()
    assert "1.5" in body["report"]["error"]


def test_privacy_settings_are_checked(client: Client, focal_ke: User, token_for: Headers) -> None:
    body = {
        "kind": "survey",
        "country": "KE",
        "year": 2024,
        "title": "DP",
        "disclosure": "dp",
        "dp_epsilon": 2,
        "dp_weight_cap": 100,
        "dp_budget": 1,
    }
    response = client.post(
        "/api/v1/statistics/datasets",
        data=body,
        content_type="application/json",
        headers=token_for(focal_ke),
    )
    assert (
        response.status_code == 422
        and response.json()["details"]["errors"][0]["field"] == "dp_budget"
    )
