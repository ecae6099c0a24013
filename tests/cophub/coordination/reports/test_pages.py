"""Report pages: compiling, editors' texts and approval."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cophub.accounts.models import User
from cophub.coordination.activities import services as activity_services
from cophub.coordination.models import (
    Activity,
    Meeting,
    Report,
)
from cophub.coordination.reports import services as reports

pytestmark = pytest.mark.django_db


def _html(response: Any) -> str:
    return str(response.content.decode())


def _activity(user: User, **changes: Any) -> Activity:
    data = {
        "kind": "workshop",
        "title": "Regional COP workshop",
        "starts_on": timezone.localdate(),
        "countries": ["KE"],
        "clauses": ["BDT-9"],
        "participants": 40,
        **changes,
    }
    return activity_services.activity_record(user=user, **data)


def test_report_compile_text_and_approval_through_the_pages(
    signed_in: Callable[[User], Client], bdt_staff: User, meeting: Meeting, delegate_fr: User
) -> None:
    client = signed_in(bdt_staff)
    empty = client.post(
        "/en/coordination/reports/",
        {"kind": "quarterly", "period_start": "2001-01-01", "period_end": "2001-03-31"},
    )
    assert empty.status_code == 200
    assert "Nothing was recorded between 2001-01-01 and 2001-03-31" in _html(empty)
    assert not Report.objects.exists()

    _activity(bdt_staff)
    today = timezone.localdate()
    compiled = client.post(
        "/en/coordination/reports/",
        {
            "kind": "quarterly",
            "period_start": (today - timedelta(days=10)).isoformat(),
            "period_end": today.isoformat(),
            "regions": ["AFR"],
        },
        follow=True,
    )
    report = Report.objects.get()
    assert compiled.redirect_chain[-1][0] == f"/en/coordination/reports/{report.pk}/"
    page = _html(compiled)
    assert "Regional COP workshop" in page and "<svg" in page
    assert f"/api/v1/coordination/reports/{report.pk}/export?format=pdf&amp;lang=en" in page

    texts = f"/en/coordination/reports/{report.pk}/texts/"
    # A translation before the source text is refused, on the language field.
    early = client.post(texts, {"section": "summary", "text-summary-language": "fr",
                                "text-summary-text": "Résumé"})  # fmt: skip
    assert early.status_code == 200 and "source language (en) first" in _html(early)
    client.post(texts, {"section": "summary", "text-summary-language": "en",
                        "text-summary-text": "A busy quarter."})  # fmt: skip
    client.post(texts, {"section": "summary", "text-summary-language": "fr",
                        "text-summary-text": "Un trimestre chargé."})  # fmt: skip
    report.refresh_from_db()
    assert reports.text_status(report, "summary", "fr").value == "approved"
    assert "Un trimestre chargé." in _html(
        client.get(f"/en/coordination/reports/{report.pk}/?lang=fr")
    )
    matrix = _html(client.get(f"/en/coordination/reports/{report.pk}/"))
    assert '<span class="status status-source">Source</span>' in matrix

    # A delegate cannot see the draft, nor approve it.
    other = signed_in(delegate_fr)
    assert other.get(f"/en/coordination/reports/{report.pk}/").status_code == 404
    approve = f"/en/coordination/reports/{report.pk}/approve/"
    assert other.post(approve, {"meeting": meeting.pk}).status_code == 404
    client = signed_in(bdt_staff)
    client.post(approve, {"meeting": meeting.pk})
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert report.document is not None and report.document.meeting_id == meeting.pk
    approved = _html(signed_in(delegate_fr).get(f"/ar/coordination/reports/{report.pk}/"))
    assert report.document.number("ar") in approved
    assert "text-summary-text" not in approved  # nothing to edit any more
