"""The permission matrix, each denial next to its permitted twin: focal points see and edit
only their country's drafts; statistics-office users only the datasets they were given;
helplines only their own submissions; BDT staff review everything; the public sees published
aggregates only."""

from collections.abc import Callable
from typing import Any

from django.test import Client

from cophub.accounts.models import User
from cophub.statistics.models import Dataset, Release

from .conftest import api, dataset_make, publish

Headers = Callable[[User], dict[str, str]]
BASE = "/api/v1/statistics"


def test_focal_points_see_only_their_countrys_datasets(
    client: Client, checked_survey: Dataset, focal_ke: User, focal_br: User, token_for: Headers
) -> None:
    url = f"{BASE}/datasets/{checked_survey.pk}"
    assert client.get(url, headers=token_for(focal_br)).status_code == 404
    assert client.get(url, headers=token_for(focal_ke)).status_code == 200
    assert client.get(f"{BASE}/datasets", headers=token_for(focal_br)).json()["results"] == []
    assert [
        d["id"]
        for d in client.get(f"{BASE}/datasets", headers=token_for(focal_ke)).json()["results"]
    ] == [checked_survey.pk]
    assert client.get(f"{url}/estimates", headers=token_for(focal_br)).status_code == 404
    assert client.get(f"{url}/estimates", headers=token_for(focal_ke)).status_code == 200


def test_focal_points_edit_only_their_countrys_drafts(
    client: Client,
    checked_survey: Dataset,
    focal_ke: User,
    focal_br: User,
    mapping: dict[str, Any],
    token_for: Headers,
) -> None:
    url = f"{BASE}/datasets/{checked_survey.pk}"
    assert api(client, "put", f"{url}/mapping", token_for(focal_br), mapping).status_code == 404
    assert api(client, "put", f"{url}/mapping", token_for(focal_ke), mapping).status_code == 200
    api(client, "post", f"{url}/submit", token_for(focal_ke))
    submitted = api(client, "put", f"{url}/mapping", token_for(focal_ke), mapping)
    assert submitted.status_code == 409


def test_datasets_are_opened_only_for_a_country_the_user_holds(
    client: Client, focal_ke: User, token_for: Headers
) -> None:
    body = {"kind": "survey", "country": "BR", "year": 2024, "title": "Not mine"}
    refused = api(client, "post", f"{BASE}/datasets", token_for(focal_ke), body)
    assert refused.status_code == 403
    assert refused.json()["details"]["errors"][0]["field"] == "country"
    assert "Brazil" in refused.json()["message"]
    assert not Dataset.objects.filter(country_id="BR").exists()
    allowed = api(
        client, "post", f"{BASE}/datasets", token_for(focal_ke), {**body, "country": "KE"}
    )
    assert allowed.status_code == 201


def test_statistics_office_users_see_only_datasets_they_were_given(
    client: Client,
    checked_survey: Dataset,
    focal_ke: User,
    stats_office: User,
    mapping: dict[str, Any],
    token_for: Headers,
) -> None:
    url = f"{BASE}/datasets/{checked_survey.pk}"
    other = dataset_make(focal_ke, title="Not shared")
    assert client.get(url, headers=token_for(stats_office)).status_code == 404
    refused = api(client, "post", f"{url}/grants", token_for(stats_office), {"username": "nso-ke"})
    assert refused.status_code == 404
    granted = api(client, "post", f"{url}/grants", token_for(focal_ke), {"username": "nso-ke"})
    assert granted.status_code == 201 and granted.json()["grants"] == ["nso-ke"]
    assert client.get(url, headers=token_for(stats_office)).status_code == 200
    assert api(client, "put", f"{url}/mapping", token_for(stats_office), mapping).status_code == 200
    assert (
        client.get(f"{BASE}/datasets/{other.pk}", headers=token_for(stats_office)).status_code
        == 404
    )
    cannot_grant = api(
        client, "post", f"{url}/grants", token_for(stats_office), {"username": "focal-ke"}
    )
    assert cannot_grant.status_code == 403
    assert "grants" not in client.get(url, headers=token_for(stats_office)).json()
    assert client.delete(f"{url}/grants/nso-ke", headers=token_for(focal_ke)).status_code == 204
    assert client.get(url, headers=token_for(stats_office)).status_code == 404


def test_only_the_focal_point_approves_and_only_bdt_staff_review(
    client: Client,
    checked_survey: Dataset,
    focal_ke: User,
    stats_office: User,
    bdt_staff: User,
    token_for: Headers,
) -> None:
    url = f"{BASE}/datasets/{checked_survey.pk}"
    api(client, "post", f"{url}/grants", token_for(focal_ke), {"username": "nso-ke"})
    assert api(client, "post", f"{url}/submit", token_for(stats_office)).status_code == 200
    assert api(client, "post", f"{url}/approve", token_for(stats_office), {}).status_code == 403
    assert api(client, "post", f"{url}/approve", token_for(focal_ke), {}).status_code == 200
    assert api(client, "post", f"{url}/review", token_for(focal_ke), {}).status_code == 403
    assert api(client, "post", f"{url}/review", token_for(bdt_staff), {}).status_code == 200
    assert api(client, "post", f"{url}/publish", token_for(stats_office)).status_code == 403
    assert api(client, "post", f"{url}/publish", token_for(focal_ke)).status_code == 200


def test_bdt_staff_see_every_dataset(
    client: Client, checked_survey: Dataset, bdt_staff: User, outsider: User, token_for: Headers
) -> None:
    url = f"{BASE}/datasets/{checked_survey.pk}"
    assert client.get(url, headers=token_for(outsider)).status_code == 404
    assert client.get(url, headers=token_for(bdt_staff)).status_code == 200


def test_helplines_only_their_own_submissions(
    client: Client, helpline_setup: dict[str, User], focal_ke: User, token_for: Headers
) -> None:
    editor, other = helpline_setup["ke-test-line"], helpline_setup["ke-other-line"]
    body = {"kind": "helpline", "helpline": "ke-other-line", "year": 2024, "title": "Contacts"}
    refused = api(client, "post", f"{BASE}/datasets", token_for(editor), body)
    assert (
        refused.status_code == 403 and refused.json()["details"]["errors"][0]["field"] == "helpline"
    )
    created = api(
        client, "post", f"{BASE}/datasets", token_for(editor), {**body, "helpline": "ke-test-line"}
    )
    assert created.status_code == 201 and created.json()["country"] == "KE"
    url = f"{BASE}/datasets/{created.json()['id']}"
    assert client.get(url, headers=token_for(other)).status_code == 404
    assert client.get(url, headers=token_for(editor)).status_code == 200
    survey = {"kind": "survey", "country": "KE", "year": 2024, "title": "Survey"}
    assert api(client, "post", f"{BASE}/datasets", token_for(editor), survey).status_code == 403
    # The country's focal point sees the helpline's data (to approve it) but does not edit it.
    assert client.get(url, headers=token_for(focal_ke)).status_code == 200
    rows = {
        "rows": [
            {
                "quarter": 1,
                "reason": "cyberbullying",
                "channel": "voice",
                "age_band": "12-14",
                "sex": "female",
                "contacts": 9,
            }
        ]
    }
    assert api(client, "post", f"{url}/contacts", token_for(focal_ke), rows).status_code == 403
    assert api(client, "post", f"{url}/contacts", token_for(editor), rows).status_code == 200


def test_the_public_sees_published_aggregates_only(
    client: Client, checked_survey: Dataset, focal_ke: User, bdt_staff: User, token_for: Headers
) -> None:
    url = f"{BASE}/datasets/{checked_survey.pk}"
    assert client.get(url).status_code == 401
    assert client.get(f"{url}/estimates").status_code == 401
    assert client.get(f"{BASE}/observations?country=KE").json()["count"] == 0
    assert client.get(f"/en/statistics/datasets/{checked_survey.pk}/").status_code == 302
    publish(checked_survey, focal_ke, bdt_staff)
    public = client.get(f"{BASE}/observations?country=KE&limit=10000").json()
    assert public["count"] > 0
    assert all(r["estimate"] is None for r in public["results"] if r["suppressed"])
    assert client.get(url).status_code == 401


def test_withdrawal_is_for_the_countrys_focal_point(
    client: Client, published_survey: Dataset, focal_ke: User, focal_br: User, token_for: Headers
) -> None:
    code = Release.objects.get(dataset=published_survey).code
    body = {"reason": "Wrong weights"}
    assert (
        api(
            client, "post", f"{BASE}/releases/{code}/withdraw", token_for(focal_br), body
        ).status_code
        == 403
    )
    assert (
        api(
            client, "post", f"{BASE}/releases/NO-SUCH/withdraw", token_for(focal_ke), body
        ).status_code
        == 404
    )
    assert (
        api(
            client, "post", f"{BASE}/releases/{code}/withdraw", token_for(focal_ke), body
        ).status_code
        == 200
    )


def test_pages_follow_the_same_rules(
    client: Client,
    checked_survey: Dataset,
    focal_br: User,
    focal_ke: User,
    signed_in: Callable[[User], Client],
) -> None:
    pages = ["", "preview/", "upload/", "mapping/"]
    browser = signed_in(focal_br)
    for page in pages:
        assert browser.get(f"/en/statistics/datasets/{checked_survey.pk}/{page}").status_code == 404
    browser = signed_in(focal_ke)
    for page in pages:
        assert browser.get(f"/en/statistics/datasets/{checked_survey.pk}/{page}").status_code == 200
