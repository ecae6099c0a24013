"""Youth consultations: anonymous answers, contact details masked before storage, moderation."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from cophub.coordination.models import YouthConsultation, YouthSubmission

from ..conftest import api

pytestmark = pytest.mark.django_db

NUMBER = "+254 712 345 678"


@pytest.fixture
def consultation(meeting) -> YouthConsultation:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return YouthConsultation.objects.create(
        title="Safe online",
        question="What should apps do?",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=10),
        meeting=meeting,
    )


def _answer(client, consultation, text: str):  # type: ignore[no-untyped-def]
    return api(
        client,
        {},
        "post",
        f"consultations/{consultation.pk}/answers",
        {"text": text, "age_band": "13_15", "region": "AFR"},
    )


def test_an_answer_keeps_nothing_about_the_child(client, consultation):
    response = _answer(client, consultation, f"Call me on {NUMBER} or mail kid@example.org")
    assert response.status_code == 201 and response.json() == {"received": True}
    answer = YouthSubmission.objects.get()
    assert answer.flagged and answer.status == "pending"
    assert "712 345" not in answer.text and "kid@example.org" not in answer.text
    assert {f.name for f in YouthSubmission._meta.get_fields()} == {
        "id",
        "consultation",
        "text",
        "age_band",
        "region",
        "status",
        "flagged",
        "submitted_on",
    }
    with connection.cursor() as cursor:  # nowhere in the database, audit log included
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 — table names from Django
            assert not any("712 345" in str(row) for row in cursor.fetchall()), table


def test_moderation(client, consultation, bdt_staff, delegate_fr, token_for):
    _answer(client, consultation, "Report buttons should be easy to find.")
    _answer(client, consultation, f"my number {NUMBER}")
    clean, flagged = YouthSubmission.objects.order_by("pk")
    path = f"answers/{clean.pk}/moderation"
    assert api(client, token_for(delegate_fr), "post", path, {"accept": True}).status_code == 403
    assert api(client, token_for(bdt_staff), "post", path, {"accept": True}).json()["status"] == (
        "accepted"
    )
    refused = api(
        client, token_for(bdt_staff), "post", f"answers/{flagged.pk}/moderation", {"accept": True}
    )
    assert refused.status_code == 409


def test_closed_consultations_and_bad_answers(client, consultation):
    assert _answer(client, consultation, "").status_code == 422
    bad = api(
        client,
        {},
        "post",
        f"consultations/{consultation.pk}/answers",
        {"text": "x" * 2001, "age_band": "99", "region": "ZZZ"},
    )
    assert {e["field"] for e in bad.json()["details"]["errors"]} == {"text", "age_band", "region"}
    consultation.closes_on = timezone.localdate() - timedelta(days=1)
    consultation.save()
    assert _answer(client, consultation, "late").status_code == 409
    assert not YouthSubmission.objects.exists()
