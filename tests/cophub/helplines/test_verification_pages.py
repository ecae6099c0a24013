"""Verification campaigns through the pages (the public answer page, BDT's pages), the API,
the management command and the demo; every role against every object (decision 0026)."""

import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cophub.accounts.models import Organisation, Role, User
from cophub.accounts.services import demo_accounts_create
from cophub.helplines.models import Helpline, VerificationCampaign, VerificationRequest
from cophub.helplines.services import demo_helplines_load
from cophub.helplines.verification import services
from cophub.helplines.verification.demo import demo_campaign_load
from tests.cophub.access_matrix import ALLOWED, FORBIDDEN, HIDDEN, SIGN_IN, Door, assert_alike

from .verification_fixtures import contacts_add, link_of, request_of, started

pytestmark = pytest.mark.django_db
API = "/api/v1/helplines/verification"


@pytest.fixture
def campaign(directory: None, django_capture_on_commit_callbacks: Callable[..., Any]) -> Any:
    contacts_add()
    return started(django_capture_on_commit_callbacks)


def test_the_link_opens_the_entry_as_published_and_all_correct_verifies_it(
    campaign: Any, client: Client
) -> None:
    token = link_of("ops@childline.example.org")
    page = client.get(f"/en/help/verify/{token}/")
    html = page.content.decode()
    assert page.status_code == 200 and "Is this entry still right?" in html
    assert "116" in html and "21116" in html  # the contacts as published
    assert "@childline.example.org" not in html  # no private address
    assert page["Cache-Control"].startswith("max-age=0")
    answered = client.post(f"/en/help/verify/{token}/", {"name": "Amina"})
    assert answered.status_code == 302 and "/help/verify/done/correct/" in answered["Location"]
    assert Helpline.objects.get(slug="ke-test-childline").verified_by == "Amina"
    again = client.post(f"/en/help/verify/{token}/", {"name": "Mallory"})
    assert again.status_code == 410
    assert "already answered" in again.content.decode()
    assert Helpline.objects.get(slug="ke-test-childline").verified_by == "Amina"


def test_a_name_is_required(campaign: Any, client: Client) -> None:
    token = link_of("ops@childline.example.org")
    page = client.post(f"/en/help/verify/{token}/", {"name": ""})
    assert page.status_code == 422
    assert request_of("ops@childline.example.org").answer == "pending"


def test_expired_link_gets_a_translated_page(
    campaign: Any, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = link_of("verif@enfance.example.org")
    later = time.time() + 31 * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)
    page = client.get(f"/fr/help/verify/{token}/")
    assert page.status_code == 410
    assert "Ce lien a expiré." in page.content.decode()
    arabic = client.get(f"/ar/help/verify/{token}/").content.decode()
    assert 'dir="rtl"' in arabic and "انتهت صلاحية هذا الرابط" in arabic


def test_invalid_and_wrong_purpose_links_are_refused(campaign: Any, client: Client) -> None:
    token = link_of("verif@enfance.example.org")
    payload = signing.loads(token, salt="cophub.helplines.verification")
    wrong = signing.dumps(payload, salt="cophub.accounts.password-reset")
    for bad in (wrong, "nonsense", token[:-3] + "xyz"):
        page = client.get(f"/en/help/verify/{bad}/")
        assert page.status_code == 404
        assert "This link is not valid." in page.content.decode()


def _change_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Jeanne",
        "entry_name": "Ligne enfance",
        "operator": "Association e-Enfance",
        "website": "https://e-enfance.example.org",
        "age_min": "",
        "age_max": "",
        "contact_0": "3018",
        "hours_0": "24/7",
        "languages": "fr",
        "note": "Nouveau site",
    }
    return {**data, **overrides}


def test_the_change_form_edits_hours_languages_and_topics(
    campaign: Any, client: Client, signed_in: Callable[[User], Client], bdt_staff: User
) -> None:
    token = link_of("verif@enfance.example.org")
    page = client.get(f"/fr/help/verify/{token}/change/").content.decode()
    assert 'name="hours_0"' in page and 'aria-describedby="id_hours_0_hint"' in page
    assert 'name="topics"' in page and "<legend>" in page
    bad = client.post(
        f"/fr/help/verify/{token}/change/", _change_data(hours_0="Lu-Ve 8-20", languages="fr, xx")
    )
    assert bad.status_code == 422
    body = bad.content.decode()
    assert "Écrivez 24/7" in body and "Non compris : « Lu-Ve »" in body
    assert request_of("verif@enfance.example.org").review != "pending"
    data = {
        **_change_data(hours_0="Mo-Fr 09:00-17:00; Sa 10:00-12:00", languages="fr, EN"),
        "topics": ["cyberbullying", "online_harm"],
    }
    sent = client.post(f"/fr/help/verify/{token}/change/", data)
    assert sent.status_code == 302
    reply = request_of("verif@enfance.example.org")
    assert reply.proposed["languages"] == ["fr", "en"]
    assert sorted(reply.proposed["topics"]) == ["cyberbullying", "online_harm"]
    assert reply.proposed["contacts"][0]["hours"] == [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "open": "09:00", "close": "17:00"},
        {"days": ["sat"], "open": "10:00", "close": "12:00"},
    ]
    staff = signed_in(bdt_staff)
    staff.post(f"/en/help/verification/replies/{reply.pk}/", {"decision": "accept"})
    helpline = Helpline.objects.get(slug="fr-test-enfance")
    assert helpline.languages == ["fr", "en"]
    assert sorted(t.code for t in helpline.topics.all()) == ["cyberbullying", "online_harm"]
    assert helpline.contacts.order_by("position")[0].hours[0]["open"] == "09:00"


def test_an_unknown_language_is_refused_on_its_field(campaign: Any, client: Client) -> None:
    token = link_of("verif@enfance.example.org")
    bad = client.post(f"/en/help/verify/{token}/change/", _change_data(languages="fr, xx"))
    assert bad.status_code == 422
    form = bad.context["form"]
    assert "languages" in form.errors and "contact_0" not in form.errors


def test_something_changed_goes_to_review_and_bdt_accepts_it_on_the_page(
    campaign: Any, client: Client, signed_in: Callable[[User], Client], bdt_staff: User
) -> None:
    token = link_of("verif@enfance.example.org")
    form = client.get(f"/fr/help/verify/{token}/change/")
    assert form.status_code == 200 and 'name="contact_0"' in form.content.decode()
    bad = client.post(f"/fr/help/verify/{token}/change/", _change_data(contact_0=""))
    assert bad.status_code == 422
    sent = client.post(f"/fr/help/verify/{token}/change/", _change_data())
    assert sent.status_code == 302 and sent["Location"].endswith("/help/verify/done/changed/")
    reply = request_of("verif@enfance.example.org")
    assert reply.review == "pending" and reply.proposed["name"]["fr"] == "Ligne enfance"
    assert Helpline.objects.get(slug="fr-test-enfance").operator_name != "Association e-Enfance"
    staff = signed_in(bdt_staff)
    review = staff.get(f"/en/help/verification/replies/{reply.pk}/").content.decode()
    assert "Association e-Enfance" in review and "Nouveau site" in review
    decided = staff.post(
        f"/en/help/verification/replies/{reply.pk}/", {"decision": "accept", "note": "ok"}
    )
    assert decided.status_code == 302
    helpline = Helpline.objects.get(slug="fr-test-enfance")
    assert helpline.operator_name == "Association e-Enfance"
    assert helpline.website == "https://e-enfance.example.org"
    twice = staff.post(f"/en/help/verification/replies/{reply.pk}/", {"decision": "reject"})
    assert twice.status_code == 302  # refused with a message, nothing changes
    reply.refresh_from_db()
    assert reply.review == "accepted"


def test_bdt_starts_a_campaign_on_the_page_and_sees_replies_by_region(
    directory: None,
    signed_in: Callable[[User], Client],
    bdt_staff: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    contacts_add()
    staff = signed_in(bdt_staff)
    assert staff.get("/en/help/verification/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        started_page = staff.post(
            "/en/help/verification/start/",
            {"region": "AFR", "remind_after_days": "7", "link_days": "20"},
        )
    assert started_page.status_code == 302
    campaign = VerificationCampaign.objects.get()
    assert campaign.region_id == "AFR" and campaign.started_by == bdt_staff
    assert len(mail.outbox) == 2
    detail = staff.get(f"/en/help/verification/{campaign.pk}/").content.decode()
    assert "ops@childline.example.org" in detail and "0/4" in detail
    services.answer_correct(request=request_of("ops@childline.example.org"), name="Amina")
    coverage = staff.get("/en/help/coverage/").content.decode()
    assert "Upkeep of the directory by region" in coverage
    refused = staff.post(
        "/en/help/verification/start/",
        {"region": "ASP", "remind_after_days": "7", "link_days": "20"},
    )
    assert refused.status_code == 422
    assert "No entry of this region has a verification contact." in refused.content.decode()


def test_the_public_coverage_page_shows_no_campaign_data(directory: None, client: Client) -> None:
    assert "Upkeep of the directory" not in client.get("/en/help/coverage/").content.decode()


def test_contacts_page_and_api_are_bdts_and_never_in_the_open_data(
    directory: None,
    signed_in: Callable[[User], Client],
    bdt_staff: User,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    staff = signed_in(bdt_staff)
    saved = staff.post(
        "/en/help/verification/contacts/ke-test-childline/",
        {"contacts": "ops@childline.example.org en\nbad-address fr"},
    )
    assert saved.status_code == 200 and "Line 2" in saved.content.decode()
    saved = staff.post(
        "/en/help/verification/contacts/ke-test-childline/",
        {"contacts": "ops@childline.example.org en\nsw@childline.example.org fr"},
    )
    assert saved.status_code == 302
    got = staff.get(f"{API}/contacts/ke-test-childline", headers=token_for(bdt_staff)).json()
    assert [c["email"] for c in got["contacts"]] == [
        "ops@childline.example.org",
        "sw@childline.example.org",
    ]
    put = staff.put(
        f"{API}/contacts/ke-test-childline",
        data={"contacts": [{"email": "x", "language": "de"}]},
        content_type="application/json",
        headers=token_for(bdt_staff),
    )
    assert put.status_code == 422 and put.json()["code"] == "validation_error"
    public = Client()
    for path in ("/api/v1/helplines", "/api/v1/helplines?country=KE", "/en/help/KE/"):
        body = public.get(path).content.decode()
        assert "childline.example.org" not in body
    entry = next(
        e
        for e in public.get("/api/v1/helplines?country=KE").json()["results"]
        if e["id"] == "ke-test-childline"
    )
    assert entry["verification"] == {"score": 0, "checks": {}, "stale": False}


def test_api_runs_a_campaign_and_reviews_changes(
    directory: None,
    client: Client,
    bdt_staff: User,
    token_for: Callable[[User], dict[str, str]],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    contacts_add()
    headers = token_for(bdt_staff)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            f"{API}/campaigns", data={"region": None}, content_type="application/json",
            headers=headers,
        )  # fmt: skip
    assert created.status_code == 201 and created.json()["asked"] == 3
    pk = created.json()["id"]
    reply = request_of("verif@enfance.example.org")
    services.answer_changed(
        request=reply,
        name="Jeanne",
        document=services.proposed_entry(reply.helpline, {"operator": "Nouveau"}),
        note="",
    )
    changes = client.get(f"{API}/changes", headers=headers).json()["results"]
    assert [c["id"] for c in changes] == [reply.pk]
    rejected = client.post(
        f"{API}/changes/{reply.pk}/reject", data={"note": "no"},
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert rejected.status_code == 200 and rejected.json()["review"] == "rejected"
    again = client.post(
        f"{API}/changes/{reply.pk}/accept", data={}, content_type="application/json",
        headers=headers,
    )  # fmt: skip
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"
    detail = client.get(f"{API}/campaigns/{pk}", headers=headers).json()
    assert detail["changed"] == 1 and detail["asked"] == 3
    first = client.get(f"{detail['replies']}?page_size=2", headers=headers).json()
    assert len(first["results"]) == 2 and first["previous"] is None
    rest = client.get(first["next"], headers=headers).json()
    assert rest["next"] is None and len(rest["results"]) == 1
    replied = [r["id"] for r in first["results"] + rest["results"]]
    assert len(set(replied)) == 3 and {r["campaign"] for r in rest["results"]} == {pk}
    assert client.get(f"{API}/campaigns", headers=headers).json()["results"][0]["id"] == pk


def test_every_role_gets_the_same_verdict_from_page_and_api(
    campaign: Any,
    client: Client,
    token_for: Callable[[User], dict[str, str]],
    make_user: Callable[..., User],
    focal_ke: User,
    bdt_staff: User,
) -> None:
    operator = Organisation.objects.create(name="Childline Kenya", kind="helpline")
    Helpline.objects.filter(slug="ke-test-childline").update(organisation=operator)
    reply = request_of("verif@enfance.example.org")
    services.answer_changed(
        request=reply,
        name="Jeanne",
        document=services.proposed_entry(reply.helpline, {"operator": "Nouveau"}),
        note="",
    )
    users = {
        "anonymous": None,
        "no role": make_user(username="nobody"),
        "helpline editor": make_user(
            Role.HELPLINE_EDITOR, username="editor", organisation=operator
        ),
        "focal point KE": focal_ke,
        "regional officer AFR": make_user(
            Role.REGIONAL_OFFICER, region="AFR", kind=Organisation.Kind.ITU_REGIONAL_OFFICE
        ),
        "BDT staff": bdt_staff,
    }
    c, r = campaign.pk, reply.pk
    pages = "/en/help/verification"
    doors = {
        "campaigns": Door(("get", f"{pages}/", None), ("get", f"{API}/campaigns", None)),
        "start": Door(
            ("post", f"{pages}/start/", {"region": "EUR"}),
            ("post", f"{API}/campaigns", {"region": "EUR"}),
        ),
        "campaign": Door(("get", f"{pages}/{c}/", None), ("get", f"{API}/campaigns/{c}", None)),
        "review": Door(
            ("post", f"{pages}/replies/{r}/", {"decision": "nonsense"}),
            ("post", f"{API}/changes/{r}/accept", {}),
        ),
        "contacts of own entry": Door(
            ("get", f"{pages}/contacts/ke-test-childline/", None),
            ("get", f"{API}/contacts/ke-test-childline", None),
        ),
    }
    refused = {
        "anonymous": SIGN_IN,
        "no role": FORBIDDEN,
        "helpline editor": FORBIDDEN,
        "focal point KE": FORBIDDEN,
        "regional officer AFR": FORBIDDEN,
        "BDT staff": ALLOWED,
    }
    hidden = {
        **refused,
        **{role: HIDDEN for role in refused if role not in ("anonymous", "BDT staff")},
    }
    expected: dict[tuple[str, str], str | tuple[str, str]] = {}
    for door, verdicts in {
        "campaigns": refused,
        "start": refused,
        "campaign": hidden,
        "review": hidden,
        # The entry is public, its verification contacts are not: not even its editors'.
        "contacts of own entry": refused,
    }.items():
        expected.update({(role, door): verdict for role, verdict in verdicts.items()})
    assert_alike(client, token_for, users, doors, expected)


def test_command_loads_contacts_starts_a_campaign_and_reminds(
    directory: None,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "helpline,email,language\nke-test-childline,ops@childline.example.org,en\n"
        "fr-test-enfance,verif@enfance.example.org,fr\n",
        encoding="utf-8",
    )
    call_command("helplines", "contacts", str(contacts))
    bad = tmp_path / "bad.csv"
    bad.write_text("helpline,email\nke-test-childline,nope\nno-such,a@example.org\n")
    with pytest.raises(Exception, match="Nothing was imported"):
        call_command("helplines", "contacts", str(bad))
    assert "row 2, column email" in capsys.readouterr().err
    with django_capture_on_commit_callbacks(execute=True):
        call_command("helplines", "campaign", "start", "--region", "EUR")
    assert [m.to for m in mail.outbox] == [["verif@enfance.example.org"]]
    assert "1 e-mail queued" in capsys.readouterr().out
    VerificationRequest.objects.update(sent_at="2020-01-01T00:00:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("helplines", "campaign", "remind")
    assert len(mail.outbox) == 2 and "1 reminder queued" in capsys.readouterr().out


def test_demo_has_a_campaign_with_answered_changed_and_unanswered_entries() -> None:
    demo_accounts_create()
    demo_helplines_load()
    campaign = demo_campaign_load()
    assert campaign is not None
    answers = list(campaign.requests.values_list("answer", "review"))
    assert answers.count(("correct", "")) == 2
    assert ("changed", "pending") in answers and ("changed", "accepted") in answers
    assert sum(1 for answer, _review in answers if answer == "pending") >= 3
    assert demo_campaign_load() is None  # once


def test_bdt_records_checks_on_the_contacts_page(
    directory: None, signed_in: Callable[[User], Client], bdt_staff: User
) -> None:
    staff = signed_in(bdt_staff)
    url = "/en/help/verification/contacts/ke-test-childline/"
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = staff.post(url, {"checks-verified_on": tomorrow, "checks-checks": ["number_dialled"]})
    assert future.status_code == 200
    assert "The date cannot be in the future." in future.content.decode()
    assert not Helpline.objects.get(slug="ke-test-childline").verification_checks
    today = timezone.localdate()
    done = staff.post(
        url,
        {
            "checks-verified_on": today.isoformat(),
            "checks-checks": ["number_dialled", "source_reachable"],
        },
        follow=True,
    )
    assert "The verification was recorded." in done.content.decode()
    helpline = Helpline.objects.get(slug="ke-test-childline")
    assert helpline.verified_at == today
    assert helpline.verification_checks == {
        "number_dialled": today.isoformat(),
        "source_reachable": today.isoformat(),
    }
    assert "Verification score: 2 / 4" in done.content.decode()
    forged = staff.post(
        url, {"checks-verified_on": today.isoformat(), "checks-checks": ["operator_confirmed"]}
    )
    assert forged.status_code == 200  # the operator's confirmation comes only from its answer
    assert (
        "operator_confirmed"
        not in Helpline.objects.get(slug="ke-test-childline").verification_checks
    )
