"""The demo coordination data loads through the services, once."""

import pytest

from cophub.accounts.services import demo_accounts_create
from cophub.coordination.demo import demo_coordination_load
from cophub.coordination.models import Document, LiaisonStatement, Meeting, Registration, Report

pytestmark = pytest.mark.django_db


def test_demo_loads_a_meeting_cycle_and_an_approved_report() -> None:
    demo_accounts_create()
    report = demo_coordination_load()
    assert report is not None and report.status == Report.Status.APPROVED
    assert report.document is not None and report.document.number() == "CWG-COP-25/6-E"
    assert Meeting.objects.count() == 2
    statuses = set(Document.objects.values_list("status", flat=True))
    assert statuses == {"submitted", "published", "withdrawn"}
    assert Document.objects.filter(revision=1).exists()
    assert set(LiaisonStatement.objects.values_list("status", flat=True)) >= {"replied", "sent"}
    assert Registration.objects.filter(fellowship="requested").exists()
    assert Registration.objects.filter(fellowship="granted", meeting__ordinal=24).count() == 1
    held_row = report.snapshot["participation"][0]
    assert held_row["registrations"] == 5 and held_row["attended"] == 4
    assert held_row["developing"] == 1
    held = Meeting.objects.get(ordinal=24).documents.filter(kind__in=["agenda", "contribution"])
    assert set(held.values_list("timeliness", flat=True)) == {"on_time"}
    kinds = {record["kind"] for record in report.snapshot["records"]}
    assert {"training", "workshop", "meeting", "liaison_in", "agreement"} <= kinds
    # A second run changes nothing.
    assert demo_coordination_load() == report
    assert Meeting.objects.count() == 2 and Report.objects.count() == 1
