"""Reads for bodies, meetings, registrations and participation."""

from typing import Any

from django.db.models import QuerySet

from ..participation import meeting_participation
from .models import Body, Meeting, Registration


def body_list() -> QuerySet[Body]:
    return Body.objects.all()


def meeting_list(*, body: str | None = None) -> QuerySet[Meeting]:
    meetings = Meeting.objects.select_related("body__rule_set", "chair")
    return meetings.filter(body_id=body) if body else meetings


def registrations(meeting: Meeting) -> QuerySet[Registration]:
    return meeting.registrations.select_related("organisation", "country", "user")


def participation_rows(*, body: str) -> list[dict[str, Any]]:
    meetings = list(meeting_list(body=body).order_by("starts_on"))
    return [row.as_json() for row in meeting_participation(meetings)]
