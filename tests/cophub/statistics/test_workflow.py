"""Workflow: draft → submitted → approved (focal point) + reviewed (BDT staff) → published;
withdrawal and replacement keep the history; microdata deleted at publication unless kept."""

from collections.abc import Callable
from typing import Any

from django.test import Client

from cophub.accounts.models import User
from cophub.statistics.models import Dataset, DatasetEvent, Microdata, Observation, Release

from .conftest import api, dataset_make, publish, upload


def test_the_whole_path_through_the_api(
    client: Client,
    checked_survey: Dataset,
    focal_ke: User,
    bdt_staff: User,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    focal, bdt = token_for(focal_ke), token_for(bdt_staff)
    url = f"/api/v1/statistics/datasets/{checked_survey.pk}"
    early = api(client, "post", f"{url}/publish", focal)
    assert early.status_code == 409 and early.json()["code"] == "invalid_state"
    assert api(client, "post", f"{url}/submit", focal).json()["status"] == "submitted"
    assert (
        api(client, "post", f"{url}/approve", focal, {"comment": "ok"}).json()["status"]
        == "approved"
    )
    unreviewed = api(client, "post", f"{url}/publish", focal)
    assert unreviewed.status_code == 409
    assert api(client, "post", f"{url}/review", bdt, {"comment": "fine"}).json()["reviewed_at"]
    published = api(client, "post", f"{url}/publish", focal).json()
    assert published["status"] == "published" and published["release"]
    assert published["has_microdata"] is False
    assert not Microdata.objects.filter(dataset=checked_survey).exists()
    actions = [e["action"] for e in published["history"]]
    for step in (
        "created",
        "mapping_set",
        "uploaded",
        "check_passed",
        "submitted",
        "approved",
        "reviewed",
        "published",
        "microdata_deleted",
    ):
        assert step in actions
    rows = Observation.objects.filter(release__code=published["release"])
    assert rows.exists() and rows.filter(current=True).count() == rows.count()
    assert not rows.filter(method="").exists()  # indicators not computed are not published
    hidden = rows.filter(suppressed=True).first()
    assert hidden is not None and hidden.estimate is None and hidden.n is None


def test_submission_needs_a_passed_check(
    client: Client, focal_ke: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    dataset = dataset_make(focal_ke)
    response = api(
        client, "post", f"/api/v1/statistics/datasets/{dataset.pk}/submit", token_for(focal_ke)
    )
    assert response.status_code == 409
    assert Dataset.objects.get(pk=dataset.pk).status == Dataset.Status.DRAFT


def test_return_for_changes_reopens_the_draft_with_a_note(
    client: Client,
    checked_survey: Dataset,
    focal_ke: User,
    bdt_staff: User,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    url = f"/api/v1/statistics/datasets/{checked_survey.pk}"
    api(client, "post", f"{url}/submit", token_for(focal_ke))
    missing_note = api(client, "post", f"{url}/return", token_for(bdt_staff), {"comment": ""})
    assert missing_note.status_code == 422
    assert missing_note.json()["details"]["errors"][0]["field"] == "comment"
    body = api(client, "post", f"{url}/return", token_for(bdt_staff), {"comment": "Fix R1"}).json()
    assert body["status"] == "draft" and body["history"][-1]["comment"] == "Fix R1"


def test_kept_microdata_survive_publication(
    focal_ke: User, bdt_staff: User, mapping: dict[str, Any]
) -> None:
    dataset = upload(focal_ke, dataset_make(focal_ke, keep_microdata=True), mapping)
    publish(dataset, focal_ke, bdt_staff)
    assert Microdata.objects.filter(dataset=dataset).exists()


def test_withdraw_and_replace_keep_the_history(
    client: Client,
    published_survey: Dataset,
    focal_ke: User,
    bdt_staff: User,
    mapping: dict[str, Any],
    token_for: Callable[[User], dict[str, str]],
) -> None:
    old = Release.objects.get(dataset=published_survey)
    replacement = upload(focal_ke, dataset_make(focal_ke, replaces=old, title="Corrected"), mapping)
    publish(replacement, focal_ke, bdt_staff)
    old.refresh_from_db()
    new = Release.objects.get(dataset=replacement)
    assert old.withdrawn_at is not None and old.replaced_by == new
    assert not Observation.objects.filter(release=old, current=True).exists()
    assert Observation.objects.filter(release=old).exists()  # kept for the history
    listed = {r["release"]: r for r in client.get("/api/v1/statistics/releases").json()["results"]}
    assert listed[old.code]["replaced_by"] == new.code and listed[old.code]["withdrawal_reason"]
    withdrawn = api(
        client,
        "post",
        f"/api/v1/statistics/releases/{new.code}/withdraw",
        token_for(focal_ke),
        {"reason": "Error found"},
    )
    assert withdrawn.status_code == 200
    again = api(
        client,
        "post",
        f"/api/v1/statistics/releases/{new.code}/withdraw",
        token_for(focal_ke),
        {"reason": "Again"},
    )
    assert again.status_code == 409
    assert Dataset.objects.get(pk=replacement.pk).status == Dataset.Status.WITHDRAWN
    assert DatasetEvent.objects.filter(dataset=replacement, action="withdrawn").exists()
    history = client.get("/api/v1/statistics/observations?include_withdrawn=true&country=KE").json()
    assert history["count"] > 0 and all(not r["current"] for r in history["results"])
    assert client.get("/api/v1/statistics/observations?country=KE").json()["count"] == 0
