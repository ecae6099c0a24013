"""Verification campaigns: mail through the task queue in each contact's language, signed,
expiring, single-use links, reminders, the one stale rule, review, and the score."""

import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core import mail, signing
from django.utils import timezone

from cophub.accounts.models import User
from cophub.helplines.directory_format import helpline_document
from cophub.helplines.errors import ReviewClosed
from cophub.helplines.freshness import entry_is_stale, stale_from
from cophub.helplines.models import Helpline, VerificationRequest
from cophub.helplines.verification import services
from cophub.helplines.verification.links import LinkState, link_read
from cophub.helplines.verification.score import verification_summary
from cophub.portal.errors import InvalidInput

from .verification_fixtures import contacts_add, link_of, request_of, started

pytestmark = pytest.mark.django_db
Answer = VerificationRequest.Answer


@pytest.fixture
def campaign(directory: None, django_capture_on_commit_callbacks: Callable[..., Any]) -> Any:
    contacts_add()
    return started(django_capture_on_commit_callbacks)


def test_each_contact_gets_one_mail_in_their_language_after_commit(
    directory: None, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    contacts_add()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.campaign_start(user=None, region=None)
    assert mail.outbox == []  # nothing is sent inside the transaction
    assert len(queued) == 3
    for callback in queued:
        callback()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {
        "ops@childline.example.org",
        "director@childline.example.org",
        "verif@enfance.example.org",
    }
    assert "still right" in by_address["ops@childline.example.org"].subject
    assert "/fr/help/verify/" in by_address["verif@enfance.example.org"].body
    assert "/ar/help/verify/" in by_address["director@childline.example.org"].body
    # The link's secret is in the mail only: the database keeps its hash.
    token = link_of("ops@childline.example.org")
    stored = request_of("ops@childline.example.org")
    assert stored.token_hash and stored.token_hash not in token and stored.sent_at is not None


def test_a_region_campaign_asks_only_that_regions_contacts(
    directory: None, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    contacts_add()
    campaign = started(django_capture_on_commit_callbacks, region="EUR")
    assert list(campaign.requests.values_list("email", flat=True)) == ["verif@enfance.example.org"]
    with pytest.raises(InvalidInput) as refused:
        services.campaign_start(user=None, region="ASP")
    assert refused.value.details["errors"][0]["field"] == "region"


def test_all_correct_verifies_the_entry_once_and_the_link_cannot_be_reused(
    campaign: Any,
) -> None:
    token = link_of("ops@childline.example.org")
    link = link_read(token)
    assert link.state is LinkState.VALID and link.request is not None
    services.answer_correct(request=link.request, name="Amina")
    helpline = Helpline.objects.get(slug="ke-test-childline")
    assert helpline.verified_at == timezone.localdate()
    assert helpline.verified_by == "Amina"
    assert "operator_confirmed" in helpline.verification_checks
    assert link_read(token).state is LinkState.USED
    # The other contact of the same entry is no longer asked.
    other = request_of("director@childline.example.org")
    assert other.answer == Answer.CLOSED
    assert link_read(link_of("director@childline.example.org")).state is LinkState.USED
    with pytest.raises(ReviewClosed):
        services.answer_correct(request=other, name="Someone")


def test_expired_link_is_refused(campaign: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The campaign's links are valid for 30 days from their mail (the signed timestamp)."""
    token = link_of("verif@enfance.example.org")
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + 29 * 86400)
    assert link_read(token).state is LinkState.VALID
    monkeypatch.setattr(signing.time, "time", lambda: now + 31 * 86400)
    assert link_read(token).state is LinkState.EXPIRED


def test_tampered_and_wrong_purpose_tokens_are_refused(campaign: Any) -> None:
    token = link_of("verif@enfance.example.org")
    pk = request_of("verif@enfance.example.org").pk
    assert link_read(token[:-2] + ("AA" if not token.endswith("AA") else "BB")).state is (
        LinkState.INVALID
    )
    # The same payload signed for another purpose (salt) opens nothing.
    payload = signing.loads(token, salt="cophub.helplines.verification")
    other_purpose = signing.dumps(payload, salt="cophub.accounts.password-reset")
    assert link_read(other_purpose).state is LinkState.INVALID
    forged = signing.dumps({"r": pk, "n": "guessed"}, salt="cophub.helplines.verification")
    assert link_read(forged).state is LinkState.REPLACED  # right signature, wrong secret


def test_reminder_after_n_days_replaces_the_link_once(
    campaign: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    first = link_of("verif@enfance.example.org")
    services.answer_correct(
        request=request_of("ops@childline.example.org"), name="Amina"
    )  # answered: never reminded
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(timezone.now() + timedelta(days=13)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(timezone.now() + timedelta(days=14)) == 1
    assert [m.to for m in mail.outbox] == [["verif@enfance.example.org"]]
    assert mail.outbox[0].subject.startswith("Rappel")  # in the contact's language
    second = link_of("verif@enfance.example.org")
    assert link_read(first).state is LinkState.REPLACED
    assert link_read(second).state is LinkState.VALID
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(timezone.now() + timedelta(days=30)) == 0


def test_unanswered_entries_become_stale_on_schedule_by_the_one_rule(
    campaign: Any, settings: Any
) -> None:
    """Nobody answered for the French entry (verified 2026-06-01): it stays fresh until its
    stale day, then every surface says it is stale (the resolver, the open data)."""
    settings.COPHUB_HELPLINE_STALE_AFTER_DAYS = 365
    helpline = Helpline.objects.get(slug="fr-test-enfance")
    assert stale_from(helpline.verified_at) == date(2027, 6, 2)
    assert not entry_is_stale(helpline.verified_at, date(2027, 6, 1))
    assert entry_is_stale(helpline.verified_at, date(2027, 6, 2))
    assert verification_summary(helpline, date(2027, 6, 2))["stale"] is True
    assert verification_summary(helpline, date(2027, 6, 1))["stale"] is False
    assert helpline_document(helpline)["verification"]["stale"] is False  # today


def _changed(campaign: Any) -> VerificationRequest:
    request = request_of("verif@enfance.example.org")
    document = services.proposed_entry(
        request.helpline, {"operator": "Association e-Enfance", "website": "https://e.example.org"}
    )
    return services.answer_changed(
        request=request, name="Jeanne", document=document, note="Nouveau site"
    )


def test_a_change_waits_for_review_and_accepting_applies_it_audited(
    campaign: Any, bdt_staff: User
) -> None:
    reply = _changed(campaign)
    helpline = Helpline.objects.get(slug="fr-test-enfance")
    assert helpline.website != "https://e.example.org"  # nothing published before review
    assert reply.review == VerificationRequest.Review.PENDING
    services.change_accept(user=bdt_staff, request=reply, note="ok")
    helpline.refresh_from_db()
    assert helpline.website == "https://e.example.org"
    assert helpline.operator_name == "Association e-Enfance"
    assert helpline.verified_at == timezone.localdate() and helpline.verified_by == "Jeanne"
    reply.refresh_from_db()
    assert reply.review == "accepted" and reply.reviewed_by == bdt_staff
    entry = LogEntry.objects.get_for_object(reply).latest("timestamp")
    assert entry.changes_dict["review"] == ["pending", "accepted"]
    with pytest.raises(ReviewClosed):
        services.change_reject(user=bdt_staff, request=reply)


def test_rejecting_leaves_the_entry_unchanged_audited(campaign: Any, bdt_staff: User) -> None:
    reply = _changed(campaign)
    before = helpline_document(Helpline.objects.get(slug="fr-test-enfance"))
    services.change_reject(user=bdt_staff, request=reply, note="Source does not say so")
    after = helpline_document(Helpline.objects.get(slug="fr-test-enfance"))
    assert before == after
    reply.refresh_from_db()
    assert reply.review == "rejected" and reply.review_note == "Source does not say so"
    assert LogEntry.objects.get_for_object(reply).filter(changes__icontains="rejected").exists()


def test_a_proposed_change_is_checked_all_or_nothing(campaign: Any) -> None:
    request = request_of("verif@enfance.example.org")
    document = services.proposed_entry(request.helpline, {"website": "not a url"})
    with pytest.raises(InvalidInput) as refused:
        services.answer_changed(request=request, name="Jeanne", document=document, note="")
    assert refused.value.details["errors"][0]["field"] == "$.website"
    request.refresh_from_db()
    assert request.answer == Answer.PENDING and request.proposed is None


def test_score_counts_fresh_checks_and_is_in_the_open_data_without_personal_data(
    campaign: Any,
) -> None:
    helpline = Helpline.objects.get(slug="ke-test-childline")
    services.checks_record(
        helpline=helpline, checks=["number_dialled", "source_reachable"], on="2020-01-01"
    )
    services.checks_record(
        helpline=helpline, checks=["hours_confirmed"], on=timezone.localdate().isoformat()
    )
    services.answer_correct(request=request_of("ops@childline.example.org"), name="Amina")
    document = helpline_document(Helpline.objects.get(slug="ke-test-childline"))
    assert document["verification"]["score"] == 2  # the 2020 checks are stale
    assert set(document["verification"]["checks"]) == {"hours_confirmed", "operator_confirmed"}
    text = str(document)
    assert "Amina" not in text and "@childline.example.org" not in text
    with pytest.raises(InvalidInput):
        services.checks_record(helpline=helpline, checks=["guessed"], on="2026-01-01")


def test_an_edit_clears_who_confirmed_and_the_checks(campaign: Any) -> None:
    services.answer_correct(request=request_of("ops@childline.example.org"), name="Amina")
    helpline = Helpline.objects.get(slug="ke-test-childline")
    document = helpline_document(helpline)
    document["operator"] = "Renamed"
    from cophub.helplines.services import helpline_update

    helpline_update(helpline=helpline, document=document)
    helpline.refresh_from_db()
    assert helpline.verified_at is None
    assert helpline.verified_by == "" and helpline.verification_checks == {}


def test_contacts_are_checked_all_or_nothing(directory: None) -> None:
    helpline = Helpline.objects.get(slug="ke-test-childline")
    services.contacts_set(helpline=helpline, contacts=[{"email": "a@example.org"}])
    with pytest.raises(InvalidInput) as refused:
        services.contacts_set(
            helpline=helpline,
            contacts=[{"email": "b@example.org"}, {"email": "nope", "language": "xx"}],
        )
    fields = [e["field"] for e in refused.value.details["errors"]]
    assert fields == ["contacts[1].email", "contacts[1].language"]
    assert list(helpline.verification_contacts.values_list("email", flat=True)) == ["a@example.org"]
