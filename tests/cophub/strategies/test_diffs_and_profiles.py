"""A new year starts from last year's answers; the diff shows what changed with evidence;
one answer reports in every framework through the crosswalk."""

from collections.abc import Callable

import pytest
from django.test import Client

from cophub.accounts.models import User
from cophub.strategies.models import Assessment

from .conftest import LINK, Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_years(
    focal_ke: User, make_assessment: Callable[..., Assessment], api_as: Callable[[User], Api]
) -> tuple[Assessment, Assessment]:
    before = make_assessment(focal_ke, "KE", 2024, submitted=True, phase=2)
    api = api_as(focal_ke)
    created = api.post("assessments", {"country": "KE", "year": 2025})
    after = Assessment.objects.get(pk=created.json()["id"])
    path = f"assessments/{after.pk}/answers"
    new_policy = {**LINK, "title": "National COP Strategy 2025", "issued_on": "2025-02-01"}
    assert (
        api.put(
            f"{path}/governance.strategy", {"value": "yes", "evidence": [new_policy]}
        ).status_code
        == 200
    )
    assert api.put(f"{path}/governance.leadership", {"value": 3}).status_code == 200
    assert api.put(f"{path}/legal.legislation", {"value": 1}).status_code == 200
    assert api.put(f"{path}/law-enforcement.offences", {"value": 250}).status_code == 200
    return before, after


def test_new_assessment_starts_from_last_years_answers(
    two_years: tuple[Assessment, Assessment],
) -> None:
    before, after = two_years
    assert after.previous == before
    assert after.answers.count() == before.answers.count() + 1  # the new number
    carried = after.answers.get(item__key="governance.coordination")
    assert carried.carried_over and carried.choice == "partial"
    assert after.evidence.filter(carried_over=True).exists()
    assert not after.answers.get(item__key="governance.strategy").carried_over


def test_diff_shows_partial_to_yes_and_maturity_up_and_down_with_evidence(
    two_years: tuple[Assessment, Assessment], api_as: Callable[[User], Api], focal_ke: User
) -> None:
    _before, after = two_years
    body = api_as(focal_ke).get(f"assessments/{after.pk}/diff").json()
    changes = {c["item"]: c for c in body["changes"]}
    strategy = changes["governance.strategy"]
    assert strategy["summary"] == "Partial → Yes" and strategy["direction"] == "up"
    assert "National COP Strategy 2025" in [e["title"] for e in strategy["evidence"]]
    assert changes["governance.leadership"]["direction"] == "up"
    assert changes["governance.leadership"]["summary"] == "Developing (2) → Enhancing (3)"
    assert changes["legal.legislation"]["direction"] == "down"
    assert changes["law-enforcement.offences"]["change"] == "added"
    assert changes["law-enforcement.offences"]["summary"] == "Not answered → 250"
    assert changes["governance.coordination"]["change"] == "unchanged"


def test_diff_page_lists_changes_only_unless_asked(
    two_years: tuple[Assessment, Assessment], signed_in: Callable[[User], Client], focal_ke: User
) -> None:
    _before, after = two_years
    client = signed_in(focal_ke)
    page = client.get(f"/en/strategies/assessments/{after.pk}/diff/").content.decode()
    assert "Partial → Yes" in page and "change-up" in page and "change-down" in page
    assert "Is there a coordination mechanism" not in page
    everything = client.get(f"/en/strategies/assessments/{after.pk}/diff/?all=1").content.decode()
    assert "Is there a coordination mechanism" in everything


def test_one_answer_reports_in_every_framework(
    focal_ke: User, make_assessment: Callable[..., Assessment], api_as: Callable[[User], Api]
) -> None:
    kenya = make_assessment(focal_ke, "KE", answered=True, phase=3)
    api = api_as(focal_ke)
    api.put(f"assessments/{kenya.pk}/answers/governance.lead-agency", {"value": "yes"})
    mnr = api.get(f"assessments/{kenya.pk}/profile", view="weprotect-mnr").json()["view"]
    leadership = next(i for s in mnr for i in s["items"] if i["item"] == "leadership")
    assert leadership["value"] == 3 and leadership["via"] == "governance.leadership"
    assert leadership["label"] == "Enhancing (3)"
    assert "governance.strategy" in leadership["related"]
    assert sum(1 for s in mnr for i in s["items"] if i["value"] is not None) == 21
    sg2 = api.get(f"assessments/{kenya.pk}/profile", view="itu-d-sg2-q3-2").json()["view"]
    assert [i["value"] for i in sg2[0]["items"]] == ["yes", "partial", "partial", "partial"]
    assert api.get(f"assessments/{kenya.pk}/profile", view="nope").status_code == 404


def test_profile_is_drafted_validated_then_frozen(
    focal_ke: User, make_assessment: Callable[..., Assessment], api_as: Callable[[User], Api]
) -> None:
    kenya = make_assessment(focal_ke, "KE", answered=True)
    api = api_as(focal_ke)
    path = f"assessments/{kenya.pk}"
    refused = api.post(f"{path}/profile/validate")
    assert refused.status_code == 422
    assert refused.json()["details"]["errors"][0]["field"] == "status"
    api.put(f"{path}/profile/summary", {"summary": "Good progress on reporting."})
    api.post(f"{path}/submit")
    validated = api.post(f"{path}/profile/validate").json()
    assert validated["status"] == "validated"
    assert validated["content"]["summary"] == "Good progress on reporting."
    assert (
        validated["content"]["answers"]["governance.strategy"]["evidence"][0]["title"]
        == LINK["title"]
    )
    api.post(f"{path}/reopen")
    api.put(f"{path}/answers/governance.lead-agency", {"value": "no"})
    draft = api.get(f"{path}/profile").json()
    assert draft["status"] == "draft"
    assert draft["content"]["answers"]["governance.lead-agency"]["value"] == "no"
