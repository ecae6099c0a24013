"""Renaming an organisation changes no permission, in any module that scopes by organisation.

Each scenario gives an attacker's organisation, the name of the organisation it tries to pass
for, a legitimate organisation, and a probe: what each side may do (HTTP statuses through the
API). The attacker's organisation is renamed, by the focal point of its country, to the other
one's name (which is also the operator text of its helpline); the legitimate one is renamed
too; BDT staff then make their routine edits. The probe must answer exactly as before."""

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cophub.accounts.models import Organisation, Role, User
from cophub.helplines.models import Helpline
from cophub.helplines.services import helplines_import

from ..helplines.conftest import fixture_document

pytestmark = pytest.mark.django_db
Probe = Callable[[], dict[str, int]]


@dataclass
class World:
    client: Client
    token_for: Callable[[User], dict[str, str]]
    make_user: Callable[..., User]
    bdt_staff: User
    years: "itertools.count[int]" = field(default_factory=lambda: itertools.count(2000))

    def call(self, method: str, path: str, user: User | None, body: Any = None) -> int:
        headers = self.token_for(user) if user is not None else {}
        if method == "get":
            return int(self.client.get(f"/api/v1/{path}", headers=headers).status_code)
        response = getattr(self.client, method)(
            f"/api/v1/{path}",
            data=json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=headers,
        )
        return int(response.status_code)

    def organisation(self, name: str, kind: str, country: str | None) -> Organisation:
        return Organisation.objects.create(name=name, kind=kind, country_id=country)

    def member(self, organisation: Organisation, role: Role | None = None, **scope: Any) -> User:
        return self.make_user(role, organisation=organisation, **scope)

    def rename(self, organisation: Organisation, name: str) -> None:
        """Through the API, by the focal point of the organisation's country (BDT staff for an
        organisation without a country)."""
        renamer = self.bdt_staff
        if organisation.country_id:
            renamer = self.make_user(Role.FOCAL_POINT, country=organisation.country_id)
        status = self.call("patch", f"organisations/{organisation.pk}", renamer, {"name": name})
        assert status == 200
        assert Organisation.objects.get(pk=organisation.pk).name == name

    def helpline_entry(self, slug: str) -> dict[str, Any]:
        country = Helpline.objects.get(slug=slug).country_id
        listed = self.client.get("/api/v1/helplines", {"country": country}).json()["results"]
        entry: dict[str, Any] = next(h for h in listed if h["id"] == slug)
        return entry

    def helpline_put(self, slug: str, user: User) -> int:
        return self.call("put", f"helplines/{slug}", user, self.helpline_entry(slug))

    def routine_helpline_edit(self, slug: str) -> None:
        """BDT staff correct a detail and send the whole entry, as they routinely do."""
        entry = self.helpline_entry(slug)
        entry["source"]["note"] = f"Checked on {timezone.localdate()}."
        assert self.call("put", f"helplines/{slug}", self.bdt_staff, entry) == 200


@dataclass
class Scenario:
    attacker: Organisation
    impersonated: str
    legitimate: Organisation
    probe: Probe
    expected: dict[str, int]
    routine: Callable[[], None] = lambda: None


def _directory(world: World) -> tuple[Organisation, Organisation, User, User]:
    """Two helplines: a Kenyan one owned by the attacker's organisation, a French one owned by
    "Enfance Service", which is also the French entry's operator text."""
    document = fixture_document("directory.json")
    next(h for h in document["helplines"] if h["id"] == "fr-test-enfance")["operator"] = (
        "Enfance Service"
    )
    helplines_import(document)
    attacker = world.organisation("Kenyan line", Organisation.Kind.CHILD_HELPLINE, "KE")
    victim = world.organisation("Enfance Service", Organisation.Kind.CHILD_HELPLINE, "FR")
    Helpline.objects.filter(slug="ke-test-childline").update(organisation=attacker)
    Helpline.objects.filter(slug="fr-test-enfance").update(organisation=victim)
    return (
        attacker,
        victim,
        world.member(attacker, Role.HELPLINE_EDITOR),
        world.member(victim, Role.HELPLINE_EDITOR),
    )


def helplines(world: World) -> Scenario:
    attacker, victim, intruder, owner = _directory(world)
    return Scenario(
        attacker=attacker,
        impersonated=victim.name,
        legitimate=victim,
        probe=lambda: {
            "own entry": world.helpline_put("ke-test-childline", intruder),
            "other's entry": world.helpline_put("fr-test-enfance", intruder),
            "owner's entry": world.helpline_put("fr-test-enfance", owner),
        },
        expected={"own entry": 200, "other's entry": 403, "owner's entry": 200},
        routine=lambda: world.routine_helpline_edit("fr-test-enfance"),
    )


def statistics(world: World) -> Scenario:
    attacker, victim, intruder, owner = _directory(world)

    def contacts(user: User, slug: str) -> int:
        body = {"kind": "helpline", "helpline": slug, "year": next(world.years), "title": "C"}
        return world.call("post", "statistics/datasets", user, body)

    return Scenario(
        attacker=attacker,
        impersonated=victim.name,
        legitimate=victim,
        probe=lambda: {
            "own helpline": contacts(intruder, "ke-test-childline"),
            "other's helpline": contacts(intruder, "fr-test-enfance"),
            "owner's helpline": contacts(owner, "fr-test-enfance"),
        },
        expected={"own helpline": 201, "other's helpline": 403, "owner's helpline": 201},
        routine=lambda: world.routine_helpline_edit("fr-test-enfance"),
    )


def practices(world: World) -> Scenario:
    from cophub.practices.models import Call
    from cophub.practices.services.calls import call_create
    from cophub.practices.workflow_data import workflow_load
    from cophub.resources.services import hub_ensure
    from cophub.resources.taxonomy import taxonomy_load

    from ..practices.conftest import COMPLETE

    workflow_load()
    taxonomy_load()
    hub_ensure()
    now = timezone.now()
    call = call_create(
        user=world.bdt_staff,
        titles={"en": "Call for best practices"},
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        phase=Call.Phase.OPEN,
    )
    attacker = world.organisation("Kenyan NGO", Organisation.Kind.NGO, "KE")
    invited = world.organisation("Invited NGO", Organisation.Kind.NGO, "BR")
    call.invited.add(invited)
    outsider, guest = world.member(attacker), world.member(invited)

    def submit(user: User) -> int:
        return world.call("post", "practices/submissions", user, {"call": call.pk, **COMPLETE})

    return Scenario(
        attacker=attacker,
        impersonated=invited.name,
        legitimate=invited,
        probe=lambda: {"not invited": submit(outsider), "invited": submit(guest)},
        expected={"not invited": 403, "invited": 201},
    )


def resources(world: World) -> Scenario:
    attacker = world.organisation("Kenyan agency", Organisation.Kind.MEMBER_STATE, "KE")
    bureau = world.bdt_staff.organisation
    assert bureau is not None
    bureau.country_id = "CH"
    bureau.save()
    translator = world.member(bureau, Role.TRANSLATOR, language="ar")
    outsider = world.member(attacker)
    return Scenario(
        attacker=attacker,
        impersonated=bureau.name,
        legitimate=bureau,
        probe=lambda: {
            "outsider": world.call("get", "resources/translations", outsider),
            "translator": world.call("get", "resources/translations", translator),
        },
        expected={"outsider": 403, "translator": 200},
    )


def strategies(world: World) -> Scenario:
    from cophub.strategies.framework_format import frameworks_load

    frameworks_load()
    focal_ke = world.make_user(Role.FOCAL_POINT, country="KE")
    opened = world.client.post(
        "/api/v1/strategies/assessments",
        data=json.dumps({"country": "KE", "year": 2025}),
        content_type="application/json",
        headers=world.token_for(focal_ke),
    )
    assert opened.status_code == 201, opened.content
    path = f"strategies/assessments/{opened.json()['id']}"
    kenyan = world.organisation("Kenyan police", Organisation.Kind.MEMBER_STATE, "KE")
    attacker = world.organisation("Brazilian NGO", Organisation.Kind.NGO, "BR")
    respondent, foreigner = world.member(kenyan), world.member(attacker)
    grant = {"section": "law-enforcement", "username": respondent.username}
    assert world.call("post", f"{path}/assignments", focal_ke, grant) == 201

    def foreign_grant() -> int:
        body = {"section": "industry", "username": foreigner.username}
        return world.call("post", f"{path}/assignments", focal_ke, body)

    return Scenario(
        attacker=attacker,
        impersonated=kenyan.name,
        legitimate=kenyan,
        probe=lambda: {
            "co-respondent sees": world.call("get", path, respondent),
            "foreigner sees": world.call("get", path, foreigner),
            "foreigner granted": foreign_grant(),
        },
        expected={"co-respondent sees": 200, "foreigner sees": 404, "foreigner granted": 422},
    )


def coordination(world: World) -> Scenario:
    from cophub.coordination.models import Meeting

    today = timezone.localdate()
    meeting = Meeting.objects.create(
        body_id="cwg-cop",
        ordinal=25,
        starts_on=today + timedelta(days=60),
        ends_on=today + timedelta(days=61),
        mode=Meeting.Mode.HYBRID,
        venue="Geneva",
        registration_closes_on=today + timedelta(days=50),
    )
    submitting = world.organisation("French delegation", Organisation.Kind.MEMBER_STATE, "FR")
    attacker = world.organisation("Kenyan delegation", Organisation.Kind.MEMBER_STATE, "KE")
    author, colleague, outsider = (
        world.member(submitting),
        world.member(submitting),
        world.member(attacker),
    )
    contribution = {
        "kind": "contribution",
        "purpose": "action",
        "title": "Helpline numbers in national numbering plans",
        "original_language": "fr",
    }
    created = world.client.post(
        f"/api/v1/coordination/meetings/{meeting.pk}/documents",
        data=json.dumps(contribution),
        content_type="application/json",
        headers=world.token_for(author),
    )
    assert created.status_code == 201, created.content
    path = f"coordination/documents/{created.json()['id']}"
    return Scenario(
        attacker=attacker,
        impersonated=submitting.name,
        legitimate=submitting,
        probe=lambda: {
            "colleague": world.call("get", path, colleague),
            "outsider": world.call("get", path, outsider),
        },
        expected={"colleague": 200, "outsider": 404},
    )


SCENARIOS = [helplines, statistics, practices, resources, strategies, coordination]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_renaming_an_organisation_changes_no_permission(
    scenario: Callable[[World], Scenario],
    client: Client,
    token_for: Callable[[User], dict[str, str]],
    make_user: Callable[..., User],
    bdt_staff: User,
) -> None:
    world = World(client=client, token_for=token_for, make_user=make_user, bdt_staff=bdt_staff)
    case = scenario(world)
    assert case.probe() == case.expected
    world.rename(case.legitimate, f"{case.legitimate.name} (renamed)")
    world.rename(case.attacker, case.impersonated)
    case.routine()
    assert case.probe() == case.expected


def test_renaming_keeps_the_code_and_only_bdt_staff_set_it(
    client: Client, token_for: Callable[[User], dict[str, str]], make_user: Callable[..., User]
) -> None:
    focal = make_user(Role.FOCAL_POINT, country="KE")
    organisation = Organisation.objects.create(
        name="Childline Kenya", kind=Organisation.Kind.CHILD_HELPLINE, country_id="KE"
    )
    twin = Organisation.objects.create(name="Childline Kenya", kind=Organisation.Kind.NGO)
    assert (organisation.code, twin.code) == ("childline-kenya", "childline-kenya-2")
    response = client.patch(
        f"/api/v1/organisations/{organisation.pk}",
        data=json.dumps({"name": "Childline Kenya (CLK)", "code": "taken-over"}),
        content_type="application/json",
        headers=token_for(focal),
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Childline Kenya (CLK)"
    assert response.json()["code"] == "childline-kenya"
    assert Organisation.objects.get(pk=organisation.pk).code == "childline-kenya"
