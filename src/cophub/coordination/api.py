"""The coordination API under ``/api/v1/coordination/``: bodies and meetings, registration,
the document register, liaison statements, partners, activities, the implementation view,
participation metrics, youth consultations and reports. Same services and access checks as
the pages."""

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile

from cophub.portal.api_auth import AUTHENTICATED, api_language, api_user
from cophub.portal.errors import FieldErrors
from cophub.reference.languages import UI_LANGUAGE_CODES

from . import access, report_rendering, selectors, services
from .calendar import meetings_ics
from .deadlines import deadlines_json
from .models import (
    Document,
    LiaisonStatement,
    Meeting,
    Registration,
    Report,
    YouthConsultation,
    YouthSubmission,
)
from .reports import services as reports
from .reports.collected import Period, records_in_period

router = Router(tags=["coordination"])
OPTIONAL_FILE: Any = File(None)  # type: ignore[type-arg]  # a file that may be left out
Data = dict[str, Any]


# --- schemas --------------------------------------------------------------------------------


class MeetingIn(Schema):
    body: str
    ordinal: int
    starts_on: date
    ends_on: date
    mode: str
    venue: str = ""
    chair: int | None = None
    vice_chairs: list[str] = []
    agenda: str = ""
    registration_closes_on: date | None = None


class MeetingPatch(Schema):
    agenda: str | None = None
    outcome: str | None = None
    venue: str | None = None
    vice_chairs: list[str] | None = None


class RegistrationIn(Schema):
    attendance: str
    country: str | None = None
    fellowship: bool = False


class FellowshipIn(Schema):
    granted: bool


class AttendanceIn(Schema):
    attended: list[int]


class DocumentIn(Schema):
    kind: str
    purpose: str
    title: str
    original_language: str
    abstract: str = ""
    action_required: str = ""
    source: str = ""
    country: str | None = None
    contact: str = ""
    seq: int | None = None


class ReviseIn(Schema):
    title: str | None = None
    abstract: str | None = None


class LiaisonIn(Schema):
    direction: str = "out"
    subject: str
    origin: str
    origin_questions: str = ""
    addressees: list[dict[str, str]]
    approval: str
    deadline: date | None = None
    contact: str
    original_language: str
    reply_to: int | None = None
    seq: int | None = None


class StatusIn(Schema):
    status: str


class PartnerIn(Schema):
    name: str
    kind: str
    url: str = ""
    description: str = ""
    agreements: list[dict[str, str]] = []


class ActivityIn(Schema):
    kind: str
    title: str
    description: str = ""
    starts_on: date
    ends_on: date | None = None
    region: str | None = None
    countries: list[str] = []
    partners: list[int] = []
    clauses: list[str]
    participants: int | None = None


class ProgressIn(Schema):
    status: str
    progress: int = 0
    timeline: str = ""
    note: str = ""


class YouthIn(Schema):
    text: str
    age_band: str
    region: str | None = None


class YouthAnswerModerateIn(Schema):
    accept: bool


class ReportCompileIn(Schema):
    kind: str
    period_start: date
    period_end: date
    regions: list[str] = []
    title: str = ""
    source_language: str = "en"


class TextIn(Schema):
    section: str
    language: str
    text: str


class ApproveIn(Schema):
    meeting: int | None = None


# --- output ---------------------------------------------------------------------------------


def meeting_out(meeting: Meeting) -> Data:
    return {
        "id": meeting.pk,
        "body": meeting.body_id,
        "name": str(meeting),
        "ordinal": meeting.ordinal,
        "starts_on": meeting.starts_on,
        "ends_on": meeting.ends_on,
        "mode": meeting.mode,
        "venue": meeting.venue,
        "chair": meeting.chair.get_full_name() if meeting.chair else None,
        "vice_chairs": meeting.vice_chairs,
        "agenda": meeting.agenda,
        "outcome": meeting.outcome,
        "registration_closes_on": meeting.registration_closes_on,
        "registration_open": services.meeting_registration_open(meeting),
        "deadlines": deadlines_json(meeting, timezone.localdate()),
    }


def document_out(document: Document) -> Data:
    data: Data = {
        "id": document.pk,
        "number": document.number(),
        "meeting": document.meeting_id,
        "seq": document.seq,
        "revision": document.revision,
        "kind": document.kind,
        "purpose": document.purpose,
        "title": document.title,
        "abstract": document.abstract,
        "action_required": document.action_required,
        "source": document.source,
        "country": document.country_id,
        "original_language": document.original_language,
        "timeliness": document.timeliness,
        "status": document.status,
        "received_at": document.received_at,
        "published_at": document.published_at,
        "versions": [
            {
                "language": version.language,
                "number": document.number(version.language),
                "status": version.status,
                "has_file": bool(version.file),
            }
            for version in document.versions.all()
        ],
    }
    liaison = getattr(document, "liaison", None)
    if liaison is not None:
        data["liaison"] = liaison_out(liaison)
    return data


def liaison_out(statement: LiaisonStatement) -> Data:
    return {
        "id": statement.pk,
        "document": statement.document_id,
        "subject": statement.subject,
        "origin": statement.origin,
        "origin_questions": statement.origin_questions,
        "addressees": statement.addressees,
        "approval": statement.approval,
        "deadline": statement.deadline,
        "contact": statement.contact,
        "status": statement.status,
        "reply_to": statement.reply_to_id,
        "replies": [reply.pk for reply in statement.replies.all()],
        "sent_on": statement.sent_on,
    }


def registration_out(registration: Registration) -> Data:
    return {
        "id": registration.pk,
        "meeting": registration.meeting_id,
        "organisation": registration.organisation.name if registration.organisation else None,
        "country": registration.country_id,
        "category": registration.category,
        "attendance": registration.attendance,
        "fellowship": registration.fellowship,
        "attended": registration.attended,
    }


def report_out(report: Report) -> Data:
    return {
        "id": report.pk,
        "kind": report.kind,
        "title": report.title,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "regions": reports.report_region_codes(report),
        "status": report.status,
        "number": report.number or None,
        "figures": report.snapshot["figures"],
        "translation_coverage": report.snapshot.get("translation_coverage"),
        "participation": report.snapshot.get("participation", []),
        "records": report.snapshot["records"],
        "clauses": report_rendering.report_clauses(report),
    }


# --- meetings -------------------------------------------------------------------------------


@router.get("/bodies")
def body_list(request: HttpRequest) -> list[Data]:
    return [
        {"code": body.code, "kind": body.kind, "names": body.names, "prefix": body.document_prefix}
        for body in selectors.body_list()
    ]


@router.get("/meetings")
def meeting_list(request: HttpRequest, body: str | None = None) -> list[Data]:
    return [meeting_out(meeting) for meeting in selectors.meeting_list(body=body)]


@router.post("/meetings", response={201: Data}, auth=AUTHENTICATED)
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Status[Data]:
    meeting = services.meeting_create(user=api_user(request), data=payload.model_dump())
    return Status(201, meeting_out(meeting))


@router.get("/meetings/{meeting_id}")
def meeting_detail(request: HttpRequest, meeting_id: int) -> Data:
    return meeting_out(selectors.meeting_get(meeting_id))


@router.patch("/meetings/{meeting_id}", auth=AUTHENTICATED)
def meeting_update(request: HttpRequest, meeting_id: int, payload: MeetingPatch) -> Data:
    meeting = services.meeting_update(
        user=api_user(request), meeting=selectors.meeting_get(meeting_id), data=payload.model_dump()
    )
    return meeting_out(meeting)


@router.get("/calendar.ics")
def calendar_all(request: HttpRequest) -> HttpResponse:
    return _ics(request, list(selectors.meeting_list()), "cophub-meetings.ics")


@router.get("/meetings/{meeting_id}/calendar.ics")
def calendar_one(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get(meeting_id)
    return _ics(request, [meeting], f"meeting-{meeting.pk}.ics")


def _ics(request: HttpRequest, meetings: list[Meeting], name: str) -> HttpResponse:
    response = HttpResponse(
        meetings_ics(meetings, host=request.get_host()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post("/meetings/{meeting_id}/registrations", response={201: Data}, auth=AUTHENTICATED)
def registration_create(
    request: HttpRequest, meeting_id: int, payload: RegistrationIn
) -> Status[Data]:
    registration = services.registration_create(
        user=api_user(request), meeting=selectors.meeting_get(meeting_id), data=payload.model_dump()
    )
    return Status(201, registration_out(registration))


@router.get("/meetings/{meeting_id}/registrations", auth=AUTHENTICATED)
def registration_list(request: HttpRequest, meeting_id: int) -> list[Data]:
    meeting = selectors.meeting_get(meeting_id)
    access.require_meeting_manager(api_user(request), meeting)
    return [registration_out(r) for r in selectors.registrations(meeting)]


@router.post("/registrations/{registration_id}/fellowship", auth=AUTHENTICATED)
def fellowship_decide(request: HttpRequest, registration_id: int, payload: FellowshipIn) -> Data:
    registration = get_object_or_404(Registration, pk=registration_id)
    decided = services.fellowship_decide(
        user=api_user(request), registration=registration, granted=payload.granted
    )
    return registration_out(decided)


@router.post("/meetings/{meeting_id}/attendance", auth=AUTHENTICATED)
def attendance_record(request: HttpRequest, meeting_id: int, payload: AttendanceIn) -> Data:
    count = services.attendance_record(
        user=api_user(request),
        meeting=selectors.meeting_get(meeting_id),
        attended_ids=payload.attended,
    )
    return {"attended": count}


@router.get("/participation")
def participation(request: HttpRequest, body: str = "cwg-cop") -> list[Data]:
    """Registrations, attendance and contributions per meeting, by region and development
    grouping (counts only: no names)."""
    return selectors.participation_rows(body=body)


# --- documents and liaison statements -------------------------------------------------------


@router.get("/meetings/{meeting_id}/documents")
def document_list(request: HttpRequest, meeting_id: int) -> list[Data]:
    meeting = selectors.meeting_get(meeting_id)
    return [document_out(d) for d in selectors.documents_visible(request.user, meeting)]


@router.post("/meetings/{meeting_id}/documents", response={201: Data}, auth=AUTHENTICATED)
def document_submit(request: HttpRequest, meeting_id: int, payload: DocumentIn) -> Status[Data]:
    document = services.document_submit(
        user=api_user(request), meeting=selectors.meeting_get(meeting_id), data=payload.model_dump()
    )
    return Status(201, document_out(document))


@router.get("/documents/{document_id}")
def document_detail(request: HttpRequest, document_id: int) -> Data:
    return document_out(selectors.document_get(request.user, document_id))


@router.get("/documents/{document_id}/versions/{language}/file")
def document_file(request: HttpRequest, document_id: int, language: str) -> HttpResponseBase:
    return selectors.document_file_response(request.user, document_id, language)


@router.post("/documents/{document_id}/versions/{language}", auth=AUTHENTICATED)
def version_set(
    request: HttpRequest,
    document_id: int,
    language: str,
    status: Form[str],
    file: UploadedFile | None = OPTIONAL_FILE,
) -> Data:
    """A language version's translation status and (multipart ``file``) its file."""
    user = api_user(request)
    document = selectors.document_get(user, document_id)
    services.version_set(
        user=user,
        document=document,
        language=language,
        status=status,
        upload=services.Upload.of(file),
    )
    return document_out(selectors.document_get(user, document_id))


@router.post("/documents/{document_id}/publish", auth=AUTHENTICATED)
def document_publish(request: HttpRequest, document_id: int) -> Data:
    user = api_user(request)
    return document_out(
        services.document_publish(user=user, document=selectors.document_get(user, document_id))
    )


@router.post("/documents/{document_id}/withdraw", auth=AUTHENTICATED)
def document_withdraw(request: HttpRequest, document_id: int) -> Data:
    user = api_user(request)
    return document_out(
        services.document_withdraw(user=user, document=selectors.document_get(user, document_id))
    )


@router.post("/documents/{document_id}/revisions", response={201: Data}, auth=AUTHENTICATED)
def document_revise(request: HttpRequest, document_id: int, payload: ReviseIn) -> Status[Data]:
    user = api_user(request)
    document = services.document_revise(
        user=user,
        document=selectors.document_get(user, document_id),
        data=payload.model_dump(exclude_none=True),
    )
    return Status(201, document_out(document))


@router.get("/liaison-statements")
def liaison_list(request: HttpRequest) -> list[Data]:
    return [liaison_out(s) for s in selectors.liaison_visible(request.user)]


@router.post("/meetings/{meeting_id}/liaison-statements", response={201: Data}, auth=AUTHENTICATED)
def liaison_create(request: HttpRequest, meeting_id: int, payload: LiaisonIn) -> Status[Data]:
    statement = services.liaison_create(
        user=api_user(request), meeting=selectors.meeting_get(meeting_id), data=payload.model_dump()
    )
    return Status(201, liaison_out(statement))


@router.post("/liaison-statements/{statement_id}/status", auth=AUTHENTICATED)
def liaison_advance(request: HttpRequest, statement_id: int, payload: StatusIn) -> Data:
    statement = get_object_or_404(LiaisonStatement, pk=statement_id)
    return liaison_out(
        services.liaison_advance(user=api_user(request), statement=statement, status=payload.status)
    )


# --- partners, activities, implementation ---------------------------------------------------


@router.get("/partners")
def partner_list(request: HttpRequest) -> list[Data]:
    return selectors.partner_rows()


@router.post("/partners", response={201: Data}, auth=AUTHENTICATED)
def partner_save(request: HttpRequest, payload: PartnerIn) -> Status[Data]:
    partner = services.partner_save(user=api_user(request), data=payload.model_dump())
    return Status(201, {"id": partner.pk, "name": partner.name})


@router.post("/activities", response={201: Data}, auth=AUTHENTICATED)
def activity_record(request: HttpRequest, payload: ActivityIn) -> Status[Data]:
    activity = services.activity_record(user=api_user(request), data=payload.model_dump())
    return Status(201, {"id": activity.pk, "title": activity.title})


@router.get("/activities", auth=AUTHENTICATED)
def activity_feed(
    request: HttpRequest, start: date, end: date, region: str | None = None
) -> list[Data]:
    """Everything recorded or collected from the other modules in the period (secretariat)."""
    access.require_secretariat(api_user(request))
    if end < start:
        errors = FieldErrors()
        errors.add("end", _("The period ends before it starts."), "invalid_date")
        errors.raise_if_any()
    period = Period(start, end, frozenset({region.upper()}) if region else frozenset())
    return [record.as_json() for record in records_in_period(period)]


@router.get("/implementation")
def implementation(request: HttpRequest, lang: str | None = None) -> list[Data]:
    """Every operative clause: status, progress, timeline and counts of linked evidence over
    the study period."""
    return selectors.implementation_rows(api_language(lang))


@router.put("/implementation/{clause_id}", auth=AUTHENTICATED)
def implementation_set(request: HttpRequest, clause_id: str, payload: ProgressIn) -> Data:
    record = services.clause_progress_set(
        user=api_user(request), clause_id=clause_id, data=payload.model_dump()
    )
    return {"clause": record.clause_id, "status": record.status, "progress": record.progress}


# --- youth consultations ----------------------------------------------------------------------


@router.get("/consultations")
def consultation_list(request: HttpRequest) -> list[Data]:
    return [
        {
            "id": c.pk,
            "title": c.title,
            "question": c.question,
            "opens_on": c.opens_on,
            "closes_on": c.closes_on,
            "summary": c.summary,
        }
        for c in YouthConsultation.objects.all()
    ]


@router.post("/consultations/{consultation_id}/answers", response={201: Data})
def youth_submit(request: HttpRequest, consultation_id: int, payload: YouthIn) -> Status[Data]:
    """Anonymous: no account, and nothing about the sender is kept."""
    consultation = get_object_or_404(YouthConsultation, pk=consultation_id)
    services.youth_submit(consultation=consultation, **payload.model_dump())
    return Status(201, {"received": True})


@router.post("/answers/{answer_id}/moderation", auth=AUTHENTICATED)
def youth_moderate(request: HttpRequest, answer_id: int, payload: YouthAnswerModerateIn) -> Data:
    answer = get_object_or_404(YouthSubmission, pk=answer_id)
    done = services.youth_moderate(user=api_user(request), submission=answer, accept=payload.accept)
    return {"id": done.pk, "status": done.status}


# --- reports --------------------------------------------------------------------------------


@router.get("/reports")
def report_list(request: HttpRequest) -> list[Data]:
    return [
        {
            "id": r.pk,
            "kind": r.kind,
            "title": r.title,
            "status": r.status,
            "period_start": r.period_start,
            "period_end": r.period_end,
            "number": r.number or None,
        }
        for r in reports.report_list(request.user)
    ]


@router.post("/reports", response={201: Data}, auth=AUTHENTICATED)
def report_compile(request: HttpRequest, payload: ReportCompileIn) -> Status[Data]:
    report = reports.report_compile(user=api_user(request), data=payload.model_dump())
    return Status(201, report_out(report))


@router.get("/reports/{report_id}")
def report_detail(request: HttpRequest, report_id: int) -> Data:
    return report_out(selectors.report_get(request.user, report_id))


@router.put("/reports/{report_id}/texts", auth=AUTHENTICATED)
def report_text(request: HttpRequest, report_id: int, payload: TextIn) -> Data:
    user = api_user(request)
    report = reports.report_text_set(
        user=user, report=selectors.report_get(user, report_id), **payload.model_dump()
    )
    return {
        "id": report.pk,
        "texts": {
            section: {
                language: reports.text_status(report, section, language).value
                for language in UI_LANGUAGE_CODES
            }
            for section in report.editor_texts.get("sections", {})
        },
    }


@router.post("/reports/{report_id}/approve", auth=AUTHENTICATED)
def report_approve(request: HttpRequest, report_id: int, payload: ApproveIn) -> Data:
    user = api_user(request)
    report = reports.report_approve(
        user=user, report=selectors.report_get(user, report_id), meeting_id=payload.meeting
    )
    return report_out(report)


@router.get("/reports/{report_id}/export")
def report_export(
    request: HttpRequest, report_id: int, lang: str = "en", format: str = "pdf"
) -> HttpResponse:
    report = selectors.report_get(request.user, report_id)
    content, media_type, name = report_rendering.report_export(
        report, language=lang, file_format=format
    )
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
