"""The permission matrix, each refusal with its success twin. Hidden objects answer exactly
like missing ones (404); visible objects refuse forbidden actions with 403."""

from collections.abc import Callable
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client

from cophub.accounts.models import Organisation, Role, User
from cophub.strategies import services
from cophub.strategies.models import Answer, Assessment

from .conftest import LINK, Api

pytestmark = pytest.mark.django_db
MISSING = 999_999


def _same_as_missing(api: Api, path: str) -> None:
    hidden = api.get(path)
    missing = api.get(path.replace(str(path.split("/")[1]), str(MISSING), 1))
    assert hidden.status_code == missing.status_code == 404, (path, hidden.status_code)
    assert hidden.json() == missing.json()


def test_focal_ke_cannot_tell_brazils_private_assessment_exists(
    api_as: Callable[[User], Api],
    focal_ke: User,
    focal_br: User,
    make_assessment: Callable[..., Assessment],
    client: Client,
    signed_in: Callable[[User], Client],
) -> None:
    brazil = make_assessment(focal_br, "BR", answered=True)
    api = api_as(focal_ke)
    for tail in ["", "/sections", "/answers", "/profile", "/diff", "/plan", "/consultations"]:
        _same_as_missing(api, f"assessments/{brazil.pk}{tail}")
    assert (
        api.put(
            f"assessments/{brazil.pk}/answers/governance.lead-agency", {"value": "no"}
        ).status_code
        == 404
    )
    assert api.post(f"assessments/{brazil.pk}/submit").status_code == 404
    assert api.get("assessments").json()["results"] == []
    assert api.get("assistance").json()["results"] == []
    # Pages too: the same 404 as for a missing id.
    pages = signed_in(focal_ke)
    for path in [
        f"/en/strategies/assessments/{brazil.pk}/",
        f"/en/strategies/assessments/{brazil.pk}/profile/",
    ]:
        assert pages.get(path).status_code == 404
    assert brazil.country.name not in pages.get("/en/strategies/").content.decode()
    # Success twin: Brazil's focal point sees and answers it.
    own = api_as(focal_br)
    assert own.get(f"assessments/{brazil.pk}").json()["manages"] is True
    assert [a["id"] for a in own.get("assessments").json()["results"]] == [brazil.pk]
    assert (
        own.put(
            f"assessments/{brazil.pk}/answers/governance.lead-agency", {"value": "no"}
        ).status_code
        == 200
    )


def test_only_a_focal_point_of_the_country_opens_its_assessment(
    api_as: Callable[[User], Api], focal_ke: User, bdt_staff: User
) -> None:
    body = {"country": "KE", "year": 2025}
    assert api_as(bdt_staff).post("assessments", body).status_code == 403
    assert api_as(focal_ke).post("assessments", {**body, "country": "BR"}).status_code == 403
    created = api_as(focal_ke).post("assessments", body)
    assert created.status_code == 201 and created.json()["manages"] is True


def test_co_respondent_sees_and_answers_only_their_sections(
    api_as: Callable[[User], Api],
    focal_ke: User,
    police_ke: User,
    make_assessment: Callable[..., Assessment],
    django_assert_max_num_queries: Any,
) -> None:
    kenya = make_assessment(focal_ke, "KE", answered=True)
    focal, police = api_as(focal_ke), api_as(police_ke)
    path = f"assessments/{kenya.pk}"
    # Before the grant, the police user cannot tell the assessment exists.
    _same_as_missing(police, path)
    grant = focal.post(
        f"{path}/assignments", {"section": "law-enforcement", "username": "police-ke"}
    )
    assert grant.status_code == 201, grant.content
    detail = police.get(path).json()
    assert detail["manages"] is False and detail["sections"] == ["law-enforcement"]
    answers = police.get(f"{path}/answers").json()["results"]
    assert answers and {a["section"] for a in answers} == {"law-enforcement"}
    assert [s["key"] for s in police.get(f"{path}/sections").json()] == ["law-enforcement"]
    assert police.put(f"{path}/answers/legal.csam-offences", {"value": "no"}).status_code == 404
    ok = police.put(
        f"{path}/answers/law-enforcement.unit", {"value": "partial", "evidence": [LINK]}
    )
    assert ok.status_code == 200 and ok.json()["answered_by"] == "police-ke"
    for forbidden in ["submit", "reopen"]:
        assert police.post(f"{path}/{forbidden}").status_code == 403
    assert police.patch(path, {"confidentiality": "public"}).status_code == 403
    assert police.get(f"{path}/plan").status_code == 403
    assert police.get(f"{path}/profile").status_code == 403
    with django_assert_max_num_queries(8):
        listed = police.get("assessments")
    assert [a["id"] for a in listed.json()["results"]] == [kenya.pk]
    # Who answered what, and the audit trail.
    answer = Answer.objects.get(assessment=kenya, item__key="law-enforcement.unit")
    entry = LogEntry.objects.get_for_object(answer).latest("timestamp")
    assert entry.actor == police_ke
    # Success twin of the grant: removing it hides the assessment again.
    assignment = focal.get(f"{path}/sections").json()[3]["assignees"][0]["assignment"]
    assert focal.delete(f"{path}/assignments/{assignment}").status_code == 204
    assert police.get(path).status_code == 404


def test_co_respondents_come_from_organisations_of_the_country(
    api_as: Callable[[User], Api],
    focal_ke: User,
    make_user: Callable[..., User],
    make_assessment: Callable[..., Assessment],
) -> None:
    kenya = make_assessment(focal_ke, "KE")
    make_user(username="ngo-br", country="BR", kind=Organisation.Kind.NGO)
    make_user(username="platform", kind=Organisation.Kind.SECTOR_MEMBER)
    api = api_as(focal_ke)
    refused = api.post(
        f"assessments/{kenya.pk}/assignments", {"section": "industry", "username": "ngo-br"}
    )
    assert refused.status_code == 422
    assert refused.json()["details"]["errors"][0]["field"] == "username"
    unknown = api.post(
        f"assessments/{kenya.pk}/assignments", {"section": "nope", "username": "nobody"}
    )
    assert {e["field"] for e in unknown.json()["details"]["errors"]} == {"section", "username"}
    international = api.post(
        f"assessments/{kenya.pk}/assignments", {"section": "industry", "username": "platform"}
    )
    assert international.status_code == 201


@pytest.mark.parametrize(
    ("confidentiality", "bdt_sees", "officer_sees", "anyone_sees"),
    [
        ("private", False, False, False),
        ("shared_bdt", True, True, False),
        ("aggregated", True, False, False),
        ("public", True, True, True),
    ],
)
def test_published_profile_reaches_exactly_whom_the_confidentiality_names(
    api_as: Callable[[User], Api],
    focal_ke: User,
    focal_br: User,
    bdt_staff: User,
    ro_africa: User,
    ro_americas: User,
    make_assessment: Callable[..., Assessment],
    client: Client,
    confidentiality: str,
    bdt_sees: bool,
    officer_sees: bool,
    anyone_sees: bool,
) -> None:
    kenya = make_assessment(focal_ke, "KE", published=confidentiality)
    profile = f"assessments/{kenya.pk}/profile"
    expect = {
        bdt_staff: bdt_sees,
        ro_africa: officer_sees,
        ro_americas: anyone_sees,
        focal_br: anyone_sees,
        focal_ke: True,
    }
    for user, sees in expect.items():
        api = api_as(user)
        response = api.get(profile)
        assert response.status_code == (200 if sees else 404), (user.username, response.status_code)
        listed = [a["id"] for a in api.get("assessments").json()["results"]]
        assert (kenya.pk in listed) == sees, user.username
        if sees and user != focal_ke:
            # Readers see the published profile, never the working answers.
            assert api.get(f"assessments/{kenya.pk}/answers").status_code == 403
            assert response.json()["content"]["answers"]
    page = client.get(f"/en/strategies/assessments/{kenya.pk}/profile/")
    assert page.status_code == (200 if anyone_sees else 404)


def test_nothing_is_shared_before_validation_and_publication(
    api_as: Callable[[User], Api],
    focal_ke: User,
    bdt_staff: User,
    make_assessment: Callable[..., Assessment],
) -> None:
    kenya = make_assessment(focal_ke, "KE", submitted=True)
    services.assessment_set_confidentiality(assessment=kenya, confidentiality="public")
    bdt, focal = api_as(bdt_staff), api_as(focal_ke)
    assert bdt.get(f"assessments/{kenya.pk}").status_code == 404
    assert focal.post(f"assessments/{kenya.pk}/profile/publish").status_code == 422
    assert focal.post(f"assessments/{kenya.pk}/profile/validate").status_code == 200
    assert bdt.get(f"assessments/{kenya.pk}").status_code == 404
    published = focal.post(f"assessments/{kenya.pk}/profile/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert bdt.get(f"assessments/{kenya.pk}").status_code == 200
    # Reopening lapses the validation but keeps the published profile visible.
    assert focal.post(f"assessments/{kenya.pk}/reopen").json()["profile_status"] == "draft"
    assert bdt.get(f"assessments/{kenya.pk}/profile").json()["content"]["country"] == "KE"


def test_list_endpoints_keep_a_constant_number_of_queries(
    api_as: Callable[[User], Api],
    make_user: Callable[..., User],
    bdt_staff: User,
    make_assessment: Callable[..., Assessment],
    django_assert_max_num_queries: Any,
) -> None:
    for index, country in enumerate(["KE", "UG", "TZ", "RW"]):
        focal = make_user(Role.FOCAL_POINT, username=f"focal-{index}", country=country)
        make_assessment(focal, country, published="shared_bdt")
    api = api_as(bdt_staff)
    with django_assert_max_num_queries(8):
        assert len(api.get("assessments").json()["results"]) == 4
    with django_assert_max_num_queries(8):
        api.get("assistance")
    with django_assert_max_num_queries(8):
        api.get("frameworks")
