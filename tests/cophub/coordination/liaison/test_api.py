"""Liaison statements in the API: their lifecycle, threads and reminders, and their fields."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cophub.coordination.liaison.reminders import liaison_reminders
from cophub.coordination.models import Document, LiaisonStatement

from ..conftest import api

pytestmark = pytest.mark.django_db


def _errors(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {e["field"]: e["message"] for e in response.json()["details"]["errors"]}


LIAISON = {
    "subject": "Reply to the liaison statement from ITU-D SG2 on COP statistics",
    "origin": "CWG-COP",
    "addressees": [
        {"body": "ITU-D SG2 Q3/2", "for": "action"},
        {"body": "ITU-T SG17", "for": "information"},
    ],
    "approval": "CWG-COP meeting",
    "contact": "Secretariat <cwg-cop@example.org>",
    "original_language": "en",
}


def test_liaison_statement_lifecycle_and_thread(  # type: ignore[no-untyped-def]
    client, meeting, chair, token_for, django_capture_on_commit_callbacks
):
    headers = token_for(chair)
    deadline = (timezone.localdate() + timedelta(days=5)).isoformat()
    incoming = api(
        client,
        headers,
        "post",
        f"meetings/{meeting.pk}/liaison-statements",
        {
            **LIAISON,
            "direction": "in",
            "origin": "ITU-D SG2",
            "deadline": deadline,
            "subject": "COP statistics: request for comments",
        },
    )
    assert incoming.status_code == 201, incoming.content
    assert incoming.json()["status"] == "reply_due"
    # A reminder goes out once, to the chair and the contact, within a week of the deadline.
    chair.email = "chair@example.org"
    chair.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert liaison_reminders() == 1 and liaison_reminders() == 0
    assert set(mail.outbox[0].to) == {"chair@example.org", "cwg-cop@example.org"}
    reply = api(
        client,
        headers,
        "post",
        f"meetings/{meeting.pk}/liaison-statements",
        {**LIAISON, "reply_to": incoming.json()["id"]},
    )
    assert reply.json()["status"] == "draft"
    path = f"liaison-statements/{reply.json()['id']}/status"
    wrong = api(client, headers, "post", path, {"status": "sent"})
    assert wrong.status_code == 409
    assert wrong.json()["message"] == "A statement that is “Draft” cannot become “Sent”."
    assert api(client, headers, "post", path, {"status": "agreed"}).json()["status"] == "agreed"
    sent = api(client, headers, "post", path, {"status": "sent"}).json()
    assert sent["status"] == "sent" and sent["sent_on"] == timezone.localdate().isoformat()
    assert LiaisonStatement.objects.get(pk=incoming.json()["id"]).status == "replied"
    statements = client.get("/api/v1/coordination/liaison-statements").json()["results"]
    thread = next(s for s in statements if s["id"] == incoming.json()["id"])
    assert thread["replies"] == [reply.json()["id"]]
    document = client.get(f"/api/v1/coordination/documents/{reply.json()['document']}").json()
    assert document["kind"] == "liaison_out" and document["status"] == "published"
    assert document["liaison"]["addressees"][0] == {"body": "ITU-D SG2 Q3/2", "for": "action"}


def test_liaison_statement_fields_are_checked(client, meeting, chair, token_for):
    wrong = {**LIAISON, "addressees": [{"body": "", "for": "lunch"}], "reply_to": 999}
    bad = api(client, token_for(chair), "post", f"meetings/{meeting.pk}/liaison-statements", wrong)
    assert bad.status_code == 422
    # The shape is checked first (by the schema), then the references (by the service).
    assert _errors(bad) == {
        "addressees.0.body": "This field is required.",
        "addressees.0.for": "Choose one of: action, comments, information.",
    }
    codes = {e["field"]: e["code"] for e in bad.json()["details"]["errors"]}
    assert codes == {"addressees.0.body": "required", "addressees.0.for": "invalid_choice"}
    unknown = {**LIAISON, "reply_to": 999}
    bad = api(
        client, token_for(chair), "post", f"meetings/{meeting.pk}/liaison-statements", unknown
    )
    assert bad.status_code == 422
    assert set(_errors(bad)) == {"reply_to"}
    assert not Document.objects.exists()
