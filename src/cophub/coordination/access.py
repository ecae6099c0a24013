"""Who may see and do what in coordination: the one place for its role rules (decision 0024).

- BDT staff create meetings, set each clause's progress and approve reports.
- The secretariat (BDT staff and the regional officers) keeps partners, records activities
  and compiles reports — a regional officer only for the regions they serve (for all regions
  at once: BDT staff only) — reads the collected feed, edits report texts and moderates the
  answers of consultations with children and young people.
- The chair of a meeting and BDT staff manage the meeting: agenda and outcome, registrations
  and fellowships, attendance, liaison statements, publishing documents, language versions.
- Any signed-in member of an organisation (a delegate) registers and submits contributions
  for it; a document's submitter or the meeting's managers revise or withdraw it.
- Everyone sees meetings, published documents, approved reports and the implementation view.

Two kinds of function, called at the edge (API operation or page view) before a service:
``<entities>_visible_to(user)`` is the query of what ``user`` may see, and
``access_<entity>[_for_<action>](user, ...)`` returns the object ``user`` may act on or
raises ``ObjectNotFound`` (cannot see it or it does not exist → 404) or ``ActionForbidden``
(sees it but may not do this → 403). The ``user_may_*`` predicates say which forms and
buttons a page shows; they are the same rules. Services take already-authorised arguments."""

from collections.abc import Iterable

from django.db.models import F, Q, QuerySet

from cophub.accounts.access import AnyUser, user_has_role, user_is_bdt_staff
from cophub.accounts.models import Role
from cophub.portal.errors import ActionForbidden, ObjectNotFound

from .documents.models import Document
from .liaison.models import LiaisonStatement
from .meetings.models import Meeting, Registration
from .reports.models import Report
from .youth.models import YouthConsultation, YouthSubmission

# --- roles ----------------------------------------------------------------------------------


def user_is_secretariat(user: AnyUser) -> bool:
    """BDT staff, or a regional officer of any region."""
    return user_is_bdt_staff(user) or user_has_role(user, Role.REGIONAL_OFFICER)


def user_is_delegate(user: AnyUser) -> bool:
    """A signed-in, active user who belongs to an organisation (registers, submits)."""
    return bool(user.is_authenticated and user.is_active and user.organisation_id is not None)


def user_serves_region(user: AnyUser, region_code: str | None) -> bool:
    """Recording or reporting for a region: its regional officer or BDT staff; for all
    regions at once (``None``): BDT staff only."""
    if user_is_bdt_staff(user):
        return True
    return region_code is not None and user_has_role(
        user, Role.REGIONAL_OFFICER, region_code=region_code.upper()
    )


def user_manages_meeting(user: AnyUser, meeting: Meeting) -> bool:
    """The meeting's chair or BDT staff."""
    if user_is_bdt_staff(user):
        return True
    return bool(user.is_authenticated and meeting.chair_id == user.pk)


def user_may_create_meetings(user: AnyUser) -> bool:
    return user_is_bdt_staff(user)


def user_may_set_clause_progress(user: AnyUser) -> bool:
    return user_is_bdt_staff(user)


def user_may_approve_reports(user: AnyUser) -> bool:
    return user_is_bdt_staff(user)


def user_may_submit(user: AnyUser, meeting: Meeting) -> bool:
    """The meeting's managers, and delegates (contributions and information documents)."""
    return user_manages_meeting(user, meeting) or user_is_delegate(user)


def user_may_revise_document(user: AnyUser, document: Document) -> bool:
    """Revise or withdraw ``document``: the meeting's managers, or the signed-in user who
    submitted it (the one rule for both actions, on pages and in the API)."""
    if user_manages_meeting(user, document.meeting):
        return True
    return bool(
        user.is_authenticated
        and document.submitted_by_id is not None
        and document.submitted_by_id == user.pk
    )


def _allowed(allowed: bool) -> None:
    if not allowed:
        raise ActionForbidden()


# --- meetings and registrations -------------------------------------------------------------


def meetings_visible_to(user: AnyUser) -> QuerySet[Meeting]:
    """Meetings are public."""
    return Meeting.objects.select_related("body__rule_set", "chair")


def access_meeting(user: AnyUser, meeting_id: int) -> Meeting:
    meeting = meetings_visible_to(user).filter(pk=meeting_id).first()
    if meeting is None:
        raise ObjectNotFound()
    return meeting


def access_meetings_for_create(user: AnyUser) -> None:
    _allowed(user_may_create_meetings(user))


def access_meeting_for_manage(user: AnyUser, meeting_id: int) -> Meeting:
    """Agenda and outcome, registrations, attendance, liaison statements of the meeting."""
    meeting = access_meeting(user, meeting_id)
    _allowed(user_manages_meeting(user, meeting))
    return meeting


def access_meeting_for_register(user: AnyUser, meeting_id: int) -> Meeting:
    meeting = access_meeting(user, meeting_id)
    _allowed(user_is_delegate(user))
    return meeting


def access_meeting_for_submit(user: AnyUser, meeting_id: int) -> Meeting:
    meeting = access_meeting(user, meeting_id)
    _allowed(user_may_submit(user, meeting))
    return meeting


def access_registration_for_decide(user: AnyUser, registration_id: int) -> Registration:
    """Granting or refusing a fellowship: the meeting's managers."""
    registration = Registration.objects.select_related("meeting").filter(pk=registration_id).first()
    if registration is None:
        raise ObjectNotFound()
    _allowed(user_manages_meeting(user, registration.meeting))
    return registration


# --- documents and liaison statements -------------------------------------------------------


def documents_visible_to(user: AnyUser) -> QuerySet[Document]:
    """Published documents; a user's own and their organisation's; every document of the
    meetings they manage; everything for the secretariat."""
    documents = Document.objects.all()
    if user_is_secretariat(user):
        return documents
    visible = Q(status=Document.Status.PUBLISHED)
    if user.is_authenticated:
        visible |= Q(meeting__chair_id=user.pk) | Q(submitted_by_id=user.pk)
        if user.organisation_id:
            visible |= Q(organisation_id=user.organisation_id)
    return documents.filter(visible)


def meeting_documents_visible_to(user: AnyUser, meeting: Meeting) -> QuerySet[Document]:
    """The documents of ``meeting`` that ``user`` may see (all of them for its managers)."""
    if user_manages_meeting(user, meeting):
        return Document.objects.filter(meeting=meeting)
    return documents_visible_to(user).filter(meeting=meeting)


def document_visible(user: AnyUser, document: Document) -> bool:
    """The rule of ``documents_visible_to`` for a document already read."""
    if document.status == Document.Status.PUBLISHED:
        return True
    if user_manages_meeting(user, document.meeting) or user_is_secretariat(user):
        return True
    return bool(
        user.is_authenticated
        and (
            document.submitted_by_id == user.pk
            or (
                document.organisation_id is not None
                and document.organisation_id == user.organisation_id
            )
        )
    )


def visible_documents(user: AnyUser, documents: Iterable[Document]) -> list[Document]:
    return [document for document in documents if document_visible(user, document)]


def _documents() -> QuerySet[Document]:
    return Document.objects.select_related("meeting__body", "liaison").prefetch_related(
        "versions", "liaison__replies"
    )


def access_document(user: AnyUser, document_id: int) -> Document:
    document = _documents().filter(pk=document_id).first()
    if document is None or not document_visible(user, document):
        raise ObjectNotFound()
    return document


def access_document_for_manage(user: AnyUser, document_id: int) -> Document:
    """Publishing it and its language versions: the meeting's managers."""
    document = access_document(user, document_id)
    _allowed(user_manages_meeting(user, document.meeting))
    return document


def access_document_for_revise(user: AnyUser, document_id: int) -> Document:
    """Revising or withdrawing it (``user_may_revise_document``)."""
    document = access_document(user, document_id)
    _allowed(user_may_revise_document(user, document))
    return document


def statements_visible_to(user: AnyUser) -> QuerySet[LiaisonStatement]:
    """Statements whose document ``user`` may see (``documents_visible_to``), newest first:
    a query, so that lists page it."""
    # A reply links to the statement it answers (`reply_to.document_id`): joined, not read
    # per row.
    statements = LiaisonStatement.objects.select_related(
        "document__meeting__body", "reply_to"
    ).prefetch_related("replies")
    visible = documents_visible_to(user).values("pk")
    return statements.filter(document_id__in=visible).order_by("-pk")


def access_statement_for_advance(user: AnyUser, statement_id: int) -> LiaisonStatement:
    """Moving a statement along its states: the managers of its meeting."""
    statement = (
        LiaisonStatement.objects.select_related("document__meeting__body", "reply_to")
        .filter(pk=statement_id)
        .first()
    )
    if statement is None or not document_visible(user, statement.document):
        raise ObjectNotFound()
    _allowed(user_manages_meeting(user, statement.document.meeting))
    return statement


# --- partners, activities, the collected feed, clause progress ------------------------------


def access_partners_for_save(user: AnyUser) -> None:
    _allowed(user_is_secretariat(user))


def access_activities_for_record(user: AnyUser, region_code: str | None) -> None:
    """Recording an activity of ``region_code`` (``None``: all regions)."""
    _allowed(user_is_secretariat(user) and user_serves_region(user, region_code))


def access_feed_for_read(user: AnyUser) -> None:
    """The collected feed of everything recorded in a period: the secretariat's page."""
    _allowed(user_is_secretariat(user))


def access_clause_progress_for_set(user: AnyUser) -> None:
    _allowed(user_may_set_clause_progress(user))


# --- consultations with children and young people -------------------------------------------


def consultations_visible_to(user: AnyUser) -> QuerySet[YouthConsultation]:
    """Consultations are public (answering them is anonymous)."""
    return YouthConsultation.objects.all()


def access_consultation(user: AnyUser, consultation_id: int) -> YouthConsultation:
    consultation = consultations_visible_to(user).filter(pk=consultation_id).first()
    if consultation is None:
        raise ObjectNotFound()
    return consultation


def user_may_moderate(user: AnyUser) -> bool:
    return user_is_secretariat(user)


def access_consultation_for_summary(user: AnyUser, consultation_id: int) -> YouthConsultation:
    consultation = access_consultation(user, consultation_id)
    _allowed(user_may_moderate(user))
    return consultation


def access_answer_for_moderate(user: AnyUser, answer_id: int) -> YouthSubmission:
    answer = YouthSubmission.objects.select_related("consultation").filter(pk=answer_id).first()
    if answer is None:
        raise ObjectNotFound()
    _allowed(user_may_moderate(user))
    return answer


# --- reports --------------------------------------------------------------------------------


def reports_visible_to(user: AnyUser) -> QuerySet[Report]:
    """Approved reports; drafts too for the secretariat."""
    reports = Report.objects.prefetch_related("regions").select_related("document__meeting__body")
    if user_is_secretariat(user):
        return reports
    return reports.filter(status=Report.Status.APPROVED)


def report_rows_visible_to(user: AnyUser) -> QuerySet[Report]:
    """``reports_visible_to`` for a list: without the snapshot and the editors' texts, which
    grow with the records of the period; of the snapshot only what ``Report.number`` reads."""
    return (
        reports_visible_to(user)
        .defer("snapshot", "editor_texts")
        .annotate(
            listed_numbers=F("snapshot__approved__numbers"),
            listed_language=F("snapshot__approved__texts__source_language"),
        )
    )


def access_report(user: AnyUser, report_id: int) -> Report:
    report = reports_visible_to(user).filter(pk=report_id).first()
    if report is None:
        raise ObjectNotFound()
    return report


def access_reports_for_compile(user: AnyUser, region_codes: Iterable[str]) -> None:
    """Compiling a report over ``region_codes`` (none: all regions, BDT staff only)."""
    codes: list[str | None] = [str(code) for code in region_codes]
    _allowed(user_is_secretariat(user))
    _allowed(all(user_serves_region(user, code) for code in codes or [None]))


def user_may_edit_report(user: AnyUser, report: Report) -> bool:
    return user_is_secretariat(user)


def access_report_for_edit(user: AnyUser, report_id: int) -> Report:
    """The editors' texts of a report: the secretariat."""
    report = access_report(user, report_id)
    _allowed(user_may_edit_report(user, report))
    return report


def access_report_for_approve(user: AnyUser, report_id: int) -> Report:
    report = access_report(user, report_id)
    _allowed(user_may_approve_reports(user))
    return report
