"""Consultation pages: anonymous answers, contact details never shown, moderation."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cophub.accounts.models import User
from cophub.coordination.models import (
    YouthConsultation,
    YouthSubmission,
)
from cophub.coordination.youth import services as youth_services

pytestmark = pytest.mark.django_db


def _html(response: Any) -> str:
    return str(response.content.decode())


@pytest.fixture
def consultation(db: None) -> YouthConsultation:
    today = timezone.localdate()
    return YouthConsultation.objects.create(
        title="Feeling safe online",
        question="What would make you feel safer online?",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=10),
    )


def test_youth_answers_are_anonymous_and_contact_details_never_shown(
    client: Client,
    signed_in: Callable[[User], Client],
    consultation: YouthConsultation,
    bdt_staff: User,
) -> None:
    url = f"/en/coordination/consultations/{consultation.pk}/"
    page = _html(client.get(url))
    assert "Do not write your name" in page and "we keep nothing about you" in page
    done = client.post(url, {"text": "More help in school.", "age_band": "13_15"}, follow=True)
    assert "Thank you!" in _html(done)
    client.post(url, {"text": "Write to me at kid@example.com", "age_band": "under_13",
                      "region": "AFR"})  # fmt: skip
    fields = {field.name for field in YouthSubmission._meta.get_fields()}
    assert fields == {
        "id", "consultation", "text", "age_band", "region", "status", "flagged", "submitted_on"
    }  # fmt: skip
    answers = list(YouthSubmission.objects.order_by("pk"))
    assert [a.flagged for a in answers] == [False, True]
    assert answers[1].region_id == "AFR"

    # The public never sees the answers; the secretariat sees them, flagged ones hidden.
    assert "More help in school." not in _html(client.get(url))
    staff = signed_in(bdt_staff)
    moderation = _html(staff.get(url))
    assert "More help in school." in moderation
    assert "kid@example.com" not in moderation
    assert "Contains contact details: the text is not shown." in moderation
    staff.post(f"/en/coordination/answers/{answers[0].pk}/moderation/", {"accept": "yes"})
    refused = staff.post(
        f"/en/coordination/answers/{answers[1].pk}/moderation/", {"accept": "yes"}, follow=True
    )
    assert "it cannot be accepted" in _html(refused)
    staff.post(f"/en/coordination/answers/{answers[1].pk}/moderation/", {"accept": "no"})
    statuses = list(YouthSubmission.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["accepted", "hidden"]
    staff.post(f"/en/coordination/consultations/{consultation.pk}/summary/",
               {"summary": "Children asked for more help in school."})  # fmt: skip
    assert "Children asked for more help in school." in _html(client.get(url))


def test_only_the_secretariat_moderates(
    signed_in: Callable[[User], Client], consultation: YouthConsultation, delegate_fr: User
) -> None:
    answer = youth_services.youth_submit(
        consultation=consultation, text="Less pressure.", age_band="16_17", region=None
    )
    client = signed_in(delegate_fr)
    url = f"/en/coordination/consultations/{consultation.pk}/"
    assert "Less pressure." not in _html(client.get(url))
    response = client.post(f"/en/coordination/answers/{answer.pk}/moderation/", {"accept": "yes"})
    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.status == YouthSubmission.Status.PENDING


def test_a_closed_consultation_takes_no_answer(
    client: Client, consultation: YouthConsultation
) -> None:
    consultation.closes_on = date(2001, 1, 1)
    consultation.opens_on = date(2000, 12, 1)
    consultation.save()
    url = f"/en/coordination/consultations/{consultation.pk}/"
    assert "not open for answers now" in _html(client.get(url))
    response = client.post(url, {"text": "Hello", "age_band": "13_15"})
    assert response.status_code == 200
    assert not YouthSubmission.objects.exists()
