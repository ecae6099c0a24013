"""Deadline rules are data per body, with their source: ITU-D Resolution 1 for the study groups
and their rapporteur groups, Council Decision 556 for CWG-COP (one language) and the Council
(with translation), Plenipotentiary Resolution 165 for WTDC proposals. Each deadline is tried on
the day before, the day of and the day after it; exempt types are not bound; values that could
not be confirmed are flagged, and BDT staff correct them in the back office."""

import json
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from cophub.accounts.models import User
from cophub.coordination.bodies import bodies_load
from cophub.coordination.deadline_models import DeadlineRuleSet
from cophub.coordination.models import Body, Document, Meeting

from .conftest import api

pytestmark = pytest.mark.django_db

CONTRIBUTION = {
    "kind": "contribution",
    "purpose": "action",
    "title": "Helpline numbers in national numbering plans",
    "original_language": "en",
}
REFUSED = "refused"

# (body, days between the day the document is received and the meeting's first day, outcome)
BOUNDARIES = [
    # ITU-D Res. 1: translated from 45 days, delayed from 12 days, held after.
    *[("itu-d-sg2", d, r) for d, r in ((46, "on_time"), (45, "on_time"), (44, "delayed"))],
    *[("itu-d-sg2", d, r) for d, r in ((13, "delayed"), (12, "delayed"), (11, REFUSED))],
    *[("itu-d-q3-2", d, r) for d, r in ((45, "on_time"), (44, "delayed"), (11, REFUSED))],
    # Council Decision 556, one language (CWG-COP): 12 days.
    *[("cwg-cop", d, r) for d, r in ((13, "on_time"), (12, "on_time"), (11, REFUSED))],
    # Council Decision 556 with translation (Council): 21 days (unconfirmed), nothing later.
    *[("council", d, r) for d, r in ((22, "on_time"), (21, "on_time"), (20, REFUSED))],
    # PP Resolution 165 (WTDC): 21 days translated, 14 days final (both unconfirmed).
    *[("wtdc", d, r) for d, r in ((22, "on_time"), (21, "on_time"), (20, "delayed"))],
    *[("wtdc", d, r) for d, r in ((15, "delayed"), (14, "delayed"), (13, REFUSED))],
]


def _meeting(body: str, days: int, chair: User | None = None) -> Meeting:
    starts = timezone.localdate() + timedelta(days=days)
    return Meeting.objects.create(
        body_id=body,
        ordinal=days + 100,
        starts_on=starts,
        ends_on=starts,
        mode=Meeting.Mode.REMOTE,
        chair=chair,
        registration_closes_on=starts,
    )


def _errors(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {e["field"]: e["message"] for e in response.json()["details"]["errors"]}


@pytest.mark.parametrize(("body", "days", "outcome"), BOUNDARIES)
def test_each_rule_set_on_the_days_around_its_deadlines(  # type: ignore[no-untyped-def]
    client, delegate_fr, token_for, body, days, outcome
):
    meeting = _meeting(body, days)
    response = api(
        client, token_for(delegate_fr), "post", f"meetings/{meeting.pk}/documents", CONTRIBUTION
    )
    if outcome == REFUSED:
        assert response.status_code == 422
        last_day = meeting.starts_on - timedelta(days=days + 1)  # yesterday
        assert _errors(response)["meeting"].startswith(
            f"The deadline for this meeting was {last_day.isoformat()} ({days + 1} days before"
        )
        assert not Document.objects.exists()
    else:
        assert response.status_code == 201, response.content
        assert response.json()["timeliness"] == outcome


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("cwg-cop", "chair_proposal"),
        ("cwg-cop", "compilation"),
        ("cwg-cop", "requested"),
        ("cwg-cop", "event_report"),
        ("cwg-cop", "administrative"),
        ("itu-d-sg2", "agenda"),
        ("wtdc", "agenda"),
    ],
)
def test_exempt_types_are_not_bound(client, chair, token_for, body, kind):  # type: ignore[no-untyped-def]
    meeting = _meeting(body, 1, chair=chair)
    exempt = api(
        client,
        token_for(chair),
        "post",
        f"meetings/{meeting.pk}/documents",
        {**CONTRIBUTION, "kind": kind},
    )
    assert exempt.status_code == 201, exempt.content
    assert exempt.json()["timeliness"] == "exempt"
    # The chair's own contribution on the same day is registered, but recorded as late.
    late = api(client, token_for(chair), "post", f"meetings/{meeting.pk}/documents", CONTRIBUTION)
    assert late.json()["timeliness"] == "held"


def test_delegates_cannot_claim_an_exempt_type(client, delegate_fr, token_for):
    meeting = _meeting("cwg-cop", 1)
    response = api(
        client,
        token_for(delegate_fr),
        "post",
        f"meetings/{meeting.pk}/documents",
        {**CONTRIBUTION, "kind": "requested"},
    )
    assert response.status_code == 422 and set(_errors(response)) == {"kind"}


@pytest.mark.parametrize(
    ("body", "code", "unconfirmed"),
    [
        ("cwg-cop", "council-d556", ["exempt_posted_days"]),
        ("itu-d-sg2", "itu-d-res1", []),
        ("itu-d-q3-2", "itu-d-res1", []),
        ("council", "council-d556-translated", ["translated_days", "exempt_posted_days"]),
        ("wtdc", "pp-res165", ["translated_days", "accepted_days"]),
    ],
)
def test_the_api_names_the_rule_its_source_and_what_is_unconfirmed(  # type: ignore[no-untyped-def]
    client, body, code, unconfirmed
):
    meeting = _meeting(body, 60)
    rule_set = client.get(f"/api/v1/coordination/meetings/{meeting.pk}").json()["deadlines"][
        "rule_set"
    ]
    assert rule_set["code"] == code
    assert rule_set["source"] and rule_set["name"]
    assert rule_set["unconfirmed"] == unconfirmed


def test_the_submission_page_shows_the_rule_and_its_source(
    signed_in: Callable[[User], Client], delegate_fr: User
) -> None:
    meeting = _meeting("cwg-cop", 30)
    page = signed_in(delegate_fr).get(f"/en/coordination/meetings/{meeting.pk}/submit/")
    html = page.content.decode()
    assert "This meeting follows Council Decision 556: working groups working in one language." in (
        html
    )
    assert "Council Decision 556 (C10, modified C11), decides 2 to 4" in html
    assert "(12 days before the meeting): accepted (the group works in one language" in html
    assert "Not bound by these deadlines: Administrative document, Agenda, " in html
    assert html.count(">unconfirmed<") == 1  # the 2 days before an exempt document's item
    french = signed_in(delegate_fr).get(f"/fr/coordination/meetings/{meeting.pk}/submit/")
    assert "Décision 556 du Conseil" in french.content.decode()
    assert "non confirmé" in french.content.decode()


def _csrf(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


def test_bdt_staff_confirm_a_value_in_the_back_office_and_setup_keeps_it(
    client: Client, bdt_staff: User
) -> None:
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(bdt_staff, backend="django.contrib.auth.backends.ModelBackend")
    url = "/en/admin/coordination/deadlineruleset/council-d556-translated/change/"
    form = staff.get(url)
    assert form.status_code == 200
    rule_set = DeadlineRuleSet.objects.get(pk="council-d556-translated")
    values = {
        "source": rule_set.source,
        "source_url": rule_set.source_url,
        "translated_days": "28",
        "translated_days_confirmed": "on",
        "posted_days": "7",
        "posted_days_confirmed": "on",
        "exempt_kinds": rule_set.exempt_kinds,
        "exempt_posted_days": "2",
        "note": "Checked against the 2024 collection.",
        "csrfmiddlewaretoken": _csrf(form.content.decode()),
    }
    saved = staff.post(url, values)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    bodies_load()  # what `cophub setup` runs on every deployment
    meeting = _meeting("council", 60)
    deadlines = client.get(f"/api/v1/coordination/meetings/{meeting.pk}").json()["deadlines"]
    assert deadlines["translated_by"] == (meeting.starts_on - timedelta(days=28)).isoformat()
    assert deadlines["rule_set"]["unconfirmed"] == ["exempt_posted_days"]
    # A rule set without any deadline is refused, naming the field.
    refused = staff.post(url, {**values, "translated_days": "", "accepted_days": ""})
    assert refused.status_code == 200
    message = "Give a translation deadline, an acceptance deadline or both."
    assert message in refused.content.decode()


def test_bdt_staff_choose_the_rule_set_of_a_body_and_setup_keeps_it(bdt_staff: User) -> None:
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(bdt_staff, backend="django.contrib.auth.backends.ModelBackend")
    url = "/en/admin/coordination/body/cwg-cop/change/"
    token = _csrf(staff.get(url).content.decode())
    saved = staff.post(url, {"rule_set": "council-d556-translated", "csrfmiddlewaretoken": token})
    assert saved.status_code == 302, saved.content.decode()[:3000]
    bodies_load()
    assert Body.objects.get(pk="cwg-cop").rule_set_id == "council-d556-translated"


def test_loading_refuses_a_rule_set_the_back_office_would_refuse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cophub.coordination import bodies

    document = json.loads((bodies.DATA_DIR / "deadline_rules.json").read_text(encoding="utf-8"))
    wrong = document["rule_sets"][1]
    wrong["source"] = "x" * 301
    wrong["translated_days"] = {"days": 5, "confirmed": True}  # before the 12 days
    (tmp_path / "deadline_rules.json").write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setattr(bodies, "DATA_DIR", tmp_path)
    with pytest.raises(ValueError, match=r"rule set council-d556: .*'source'.*'accepted_days'"):
        bodies.rule_sets_load()
    assert DeadlineRuleSet.objects.get(pk="council-d556").translated_days is None
