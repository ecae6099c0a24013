"""Liaison statement pages: moving a statement along, an incoming statement and its reply."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cophub.accounts.models import User
from cophub.coordination.documents import services as document_services
from cophub.coordination.liaison import services as liaison_services
from cophub.coordination.liaison.services import Addressee
from cophub.coordination.models import (
    Document,
    LiaisonStatement,
    Meeting,
)

pytestmark = pytest.mark.django_db


LIAISON = {
    "subject": "COP statistics: request for comments",
    "origin": "CWG-COP",
    "addressees": [{"body": "ITU-D SG2 Q3/2", "for": "action"}],
    "approval": "CWG-COP meeting",
    "contact": "Secretariat <cwg-cop@example.org>",
    "original_language": "en",
}


def _html(response: Any) -> str:
    return str(response.content.decode())


@pytest.fixture
def statement(meeting: Meeting, chair: User) -> LiaisonStatement:
    return liaison_services.liaison_create(
        user=chair,
        meeting=meeting,
        **{
            **LIAISON,
            "addressees": [Addressee(a["body"], a["for"]) for a in LIAISON["addressees"]],
        },
    )


def test_liaison_statement_advances_through_the_page(
    signed_in: Callable[[User], Client],
    statement: LiaisonStatement,
    chair: User,
    delegate_fr: User,
) -> None:
    url = f"/en/coordination/liaison/{statement.pk}/status/"
    # Not published yet: a delegate does not even see it.
    assert signed_in(delegate_fr).post(url, {"status": "agreed"}).status_code == 404
    client = signed_in(chair)
    page = _html(client.get(f"/en/coordination/documents/{statement.document_id}/"))
    assert "Mark as: Agreed" in page and "Mark as: Sent" not in page
    assert "ITU-D SG2 Q3/2: For action" in page
    wrong = client.post(url, {"status": "sent"}, follow=True)
    assert "A statement that is “Draft” cannot become “Sent”." in _html(wrong)
    statement.refresh_from_db()
    assert statement.status == LiaisonStatement.Status.DRAFT
    agreed = client.post(url, {"status": "agreed"}, follow=True)
    assert "The liaison statement is now “Agreed”." in _html(agreed)
    client.post(url, {"status": "sent"})
    statement.refresh_from_db()
    assert statement.status == LiaisonStatement.Status.SENT
    assert statement.document.status == Document.Status.PUBLISHED
    listed = _html(signed_in(delegate_fr).get("/en/coordination/liaison/"))
    assert statement.subject in listed


CONTRIBUTION = {
    "kind": "contribution",
    "purpose": "action",
    "title": "Helpline numbers in national numbering plans",
    "original_language": "fr",
    "abstract": "Proposes that 116 111 be reserved.",
}


def _field_errors(response: Any, form: str = "form") -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context[form].errors.items()}


@pytest.fixture
def document(meeting: Meeting, delegate_fr: User) -> Document:
    return document_services.document_submit(user=delegate_fr, meeting=meeting, **CONTRIBUTION)


def _liaison_form(**changes: Any) -> dict[str, Any]:
    return {
        "direction": "in",
        "subject": "Age verification: request for comments",
        "origin": "ITU-T SG17",
        "origin_questions": "Q10/17",
        "addressee_body_0": "CWG-COP",
        "addressee_for_0": "comments",
        "addressee_body_2": "ITU-D SG2",
        "addressee_for_2": "information",
        "approval": "SG17 meeting",
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "contact": "SG17 secretariat <tsbsg17@example.org>",
        "original_language": "en",
        "reply_to": "",
        "seq": "",
        **changes,
    }


def test_an_incoming_statement_and_its_reply_through_the_pages(
    signed_in: Callable[[User], Client], meeting: Meeting, chair: User, delegate_fr: User
) -> None:
    url = f"/en/coordination/meetings/{meeting.pk}/liaison/new/"
    assert signed_in(delegate_fr).get(url).status_code == 403
    assert url not in _html(signed_in(delegate_fr).get("/en/coordination/liaison/"))
    client = signed_in(chair)
    assert url in _html(client.get(f"/en/coordination/meetings/{meeting.pk}/"))
    assert url in _html(client.get("/en/coordination/liaison/"))

    # A row with a body and no purpose is refused on that row: rows 1, 3 and 4 are filled, so
    # the service's third addressee is row 4. Nothing is saved.
    bad = client.post(url, _liaison_form(addressee_body_3="ITU-T SG2"))
    assert bad.status_code == 200
    assert list(_field_errors(bad)) == ["addressee_for_3"]
    none = client.post(url, _liaison_form(addressee_body_0="", addressee_for_0="",
                                          addressee_body_2="", addressee_for_2=""))  # fmt: skip
    assert _field_errors(none) == {"addressee_body_0": ["Name at least one addressee."]}
    assert not LiaisonStatement.objects.exists() and not Document.objects.exists()

    done = client.post(url, _liaison_form(), follow=True)
    incoming = LiaisonStatement.objects.get()
    assert done.redirect_chain[-1][0] == f"/en/coordination/documents/{incoming.document_id}/"
    assert "The liaison statement has been registered as CWG-COP-25/1-E." in _html(done)
    assert incoming.addressees == [
        {"body": "CWG-COP", "for": "comments"},
        {"body": "ITU-D SG2", "for": "information"},
    ]  # the empty rows are left out
    assert incoming.status == LiaisonStatement.Status.REPLY_DUE
    assert incoming.document.kind == Document.Kind.LIAISON_IN
    assert incoming.document.status == Document.Status.PUBLISHED

    reply_form = _liaison_form(
        direction="out",
        subject="Reply: age verification",
        origin="CWG-COP",
        origin_questions="",
        addressee_body_0="ITU-T SG17",
        addressee_for_0="information",
        addressee_body_2="",
        addressee_for_2="",
        approval="CWG-COP meeting",
        deadline="",
        reply_to=str(incoming.pk),
        seq="7",
    )
    client.post(url, reply_form)
    reply = LiaisonStatement.objects.get(reply_to=incoming)
    assert reply.status == LiaisonStatement.Status.DRAFT
    assert reply.document.seq == 7 and reply.document.kind == Document.Kind.LIAISON_OUT
    taken = client.post(url, {**reply_form, "subject": "Another reply"})
    assert list(_field_errors(taken)) == ["seq"]
    assert LiaisonStatement.objects.count() == 2

    advance = f"/en/coordination/liaison/{reply.pk}/status/"
    client.post(advance, {"status": "agreed"})
    incoming.refresh_from_db()
    assert incoming.status == LiaisonStatement.Status.REPLY_DUE  # agreed is not sent
    client.post(advance, {"status": "sent"})
    incoming.refresh_from_db()
    assert incoming.status == LiaisonStatement.Status.REPLIED
