"""Reads for coordination, with the visibility rules of ``access``."""

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import FileResponse
from django.utils import timezone

from cophub.accounts.access import AnyUser
from cophub.portal.errors import ObjectNotFound
from cophub.reference.selectors import operative_clauses

from . import access
from .models import (
    Body,
    ClauseProgress,
    Document,
    LiaisonStatement,
    Meeting,
    Partner,
    Registration,
    Report,
)
from .participation import meeting_participation
from .reports.collected import Period, records_in_period

# WTDC-22 (Kigali) closed on 16 June 2022: the study period runs from there to the next WTDC.
STUDY_PERIOD_START = date(2022, 6, 17)


def body_list() -> QuerySet[Body]:
    return Body.objects.all()


def meeting_list(*, body: str | None = None) -> QuerySet[Meeting]:
    meetings = Meeting.objects.select_related("body__rule_set", "chair")
    return meetings.filter(body_id=body) if body else meetings


def meeting_get(meeting_id: int) -> Meeting:
    meeting = meeting_list().filter(pk=meeting_id).first()
    if meeting is None:
        raise ObjectNotFound()
    return meeting


def registrations(meeting: Meeting) -> QuerySet[Registration]:
    return meeting.registrations.select_related("organisation", "country", "user")


def _documents() -> QuerySet[Document]:
    return Document.objects.select_related("meeting__body", "liaison").prefetch_related(
        "versions", "liaison__replies"
    )


def documents_visible(user: AnyUser, meeting: Meeting) -> list[Document]:
    documents = _documents().filter(meeting=meeting)
    if access.user_manages_meeting(user, meeting) or access.user_is_secretariat(user):
        return list(documents)
    mine = Q(status=Document.Status.PUBLISHED)
    if user.is_authenticated:
        mine |= Q(submitted_by=user)
        if user.organisation_id:
            mine |= Q(organisation_id=user.organisation_id)
    return list(documents.filter(mine))


def document_get(user: AnyUser, document_id: int) -> Document:
    document = _documents().filter(pk=document_id).first()
    if document is None:
        raise ObjectNotFound()
    return access.access_document(user, document)


def document_file_response(user: AnyUser, document_id: int, language: str) -> FileResponse:
    document = document_get(user, document_id)
    version = document.versions.filter(language=language).first()
    if version is None or not version.file:
        raise ObjectNotFound()
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.file_name or f"{document.number(language)}",
    )


def liaison_visible(user: AnyUser) -> list[LiaisonStatement]:
    statements = LiaisonStatement.objects.select_related(
        "document__meeting__body"
    ).prefetch_related("replies")
    return [s for s in statements.order_by("-pk") if access.document_visible(user, s.document)]


def partner_rows() -> list[dict[str, Any]]:
    return [
        {
            "id": partner.pk,
            "name": partner.name,
            "kind": partner.kind,
            "url": partner.url,
            "agreements": [
                {"title": a.title, "signed_on": a.signed_on, "ends_on": a.ends_on}
                for a in partner.agreements.all()
            ],
            "activities": [a.pk for a in partner.activities.all()],
        }
        for partner in Partner.objects.prefetch_related("agreements", "activities")
    ]


def participation_rows(*, body: str) -> list[dict[str, Any]]:
    meetings = list(meeting_list(body=body).order_by("starts_on"))
    return [row.as_json() for row in meeting_participation(meetings)]


def implementation_rows(language: str) -> list[dict[str, Any]]:
    """Every operative clause with the secretariat's reading and the evidence collected over
    the study period (counts by kind)."""
    everything = records_in_period(Period(STUDY_PERIOD_START, timezone.localdate()))
    progress = {p.clause_id: p for p in ClauseProgress.objects.all()}
    rows = []
    for clause in operative_clauses():
        mine = [record for record in everything if clause.pk in record.clauses]
        kinds: dict[str, int] = {}
        for record in mine:
            kinds[record.kind] = kinds.get(record.kind, 0) + 1
        reading = progress.get(clause.pk)
        rows.append(
            {
                "clause": clause.pk,
                "text": clause.text(language),
                "official": clause.is_official(language),
                "status": reading.status if reading else ClauseProgress.Status.NOT_STARTED,
                "status_label": str(reading.get_status_display()) if reading else "",
                "progress": reading.progress if reading else 0,
                "timeline": reading.timeline if reading else "",
                "note": reading.note if reading else "",
                "evidence": len(mine),
                "evidence_by_kind": kinds,
                "latest": mine[-1].on if mine else None,
            }
        )
    return rows


def report_get(user: AnyUser, report_id: int) -> Report:
    report = (
        Report.objects.select_related("document__meeting__body")
        .prefetch_related("regions")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise ObjectNotFound()
    return access.access_report(user, report)
