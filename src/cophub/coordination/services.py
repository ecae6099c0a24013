"""Writes for coordination: meetings and registrations, the document register, liaison
statements, partners, activities, clause progress and youth consultations. Every function is
atomic and refuses bad input with every problem named by field (nothing half-written)."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.accounts.access import user_is_bdt_staff
from cophub.accounts.models import Organisation, User
from cophub.portal.errors import ActionForbidden, FieldErrors
from cophub.portal.uploads import upload_problem
from cophub.practices.safeguarding import contact_details_masked
from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.reference.models import Clause, Country, Region

from . import access
from .bodies import bodies_load as bodies_load  # callers outside the app load the bodies here
from .deadlines import HELD, held_message, meeting_deadlines, timeliness
from .errors import WrongState
from .models import (
    Activity,
    Agreement,
    Body,
    ClauseProgress,
    Document,
    DocumentVersion,
    LiaisonStatement,
    Meeting,
    Partner,
    Registration,
    YouthConsultation,
    YouthSubmission,
)
from .participation import DEVELOPING_GROUPINGS

DOCUMENT_TYPES = ("pdf", "docx", "xlsx", "pptx", "odt", "txt")
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
DELEGATE_KINDS = (Document.Kind.CONTRIBUTION, Document.Kind.INFORMATION)


def _today() -> date:
    return timezone.localdate()


def _require(errors: FieldErrors, data: dict[str, Any], *names: str) -> None:
    for name in names:
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors.add(name, _("This field is required."), "required")


def _choice(errors: FieldErrors, data: dict[str, Any], name: str, choices: Any) -> None:
    value = data.get(name)
    if value is not None and value not in choices.values:
        errors.add(
            name,
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)},
            "invalid_choice",
        )


def _date(errors: FieldErrors, data: dict[str, Any], name: str) -> date | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.add(name, _("Give a date as YYYY-MM-DD."), "invalid_date")
        return None


def _country(errors: FieldErrors, name: str, code: str | None) -> Country | None:
    if not code:
        return None
    country = Country.objects.filter(iso2=str(code).upper()).first()
    if country is None:
        errors.add(name, _("Unknown country code."), "unknown_country")
    return country


def _region(errors: FieldErrors, name: str, code: str | None) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=str(code).upper()).first()
    if region is None:
        errors.add(name, _("Unknown ITU-D region."), "unknown_region")
    return region


def _clauses(errors: FieldErrors, name: str, codes: list[str]) -> list[Clause]:
    clauses = list(Clause.objects.filter(pk__in=codes))
    unknown = sorted(set(codes) - {clause.pk for clause in clauses})
    if unknown:
        errors.add(
            name,
            _("Unknown clauses: %(clauses)s.") % {"clauses": ", ".join(unknown)},
            "unknown_clause",
        )
    return clauses


# --- meetings -------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, user: User, data: dict[str, Any]) -> Meeting:
    """A meeting of a body (BDT staff). ``data``: body, ordinal, starts_on, ends_on, mode,
    venue, chair (user id), vice_chairs, agenda, registration_closes_on."""
    if not user_is_bdt_staff(user):
        raise ActionForbidden()
    errors = FieldErrors()
    _require(errors, data, "body", "ordinal", "starts_on", "ends_on", "mode")
    _choice(errors, data, "mode", Meeting.Mode)
    body = Body.objects.filter(pk=data.get("body")).first()
    if data.get("body") and body is None:
        errors.add("body", _("Unknown body."), "unknown_body")
    starts, ends = _date(errors, data, "starts_on"), _date(errors, data, "ends_on")
    closes = _date(errors, data, "registration_closes_on")
    if starts and ends and ends < starts:
        errors.add("ends_on", _("The last day is before the first day."), "invalid_date")
    if body and data.get("ordinal") and body.meetings.filter(ordinal=data["ordinal"]).exists():
        errors.add(
            "ordinal",
            _("%(body)s already has a meeting number %(number)s.")
            % {"body": body.document_prefix, "number": data["ordinal"]},
            "duplicate",
        )
    chair = None
    if data.get("chair"):
        chair = User.objects.filter(pk=data["chair"], is_active=True).first()
        if chair is None:
            errors.add("chair", _("Unknown user."), "unknown_user")
    errors.raise_if_any()
    return Meeting.objects.create(
        body=cast(Body, body),
        ordinal=int(data["ordinal"]),
        starts_on=cast(date, starts),
        ends_on=cast(date, ends),
        mode=data["mode"],
        venue=data.get("venue", ""),
        chair=chair,
        vice_chairs=list(data.get("vice_chairs") or []),
        agenda=data.get("agenda", ""),
        registration_closes_on=closes or cast(date, starts) - timedelta(days=1),
    )


@transaction.atomic
def meeting_update(*, user: User, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    """The chair or BDT staff set the agenda, the outcome, the venue or the vice-chairs."""
    access.require_meeting_manager(user, meeting)
    for name in ("agenda", "outcome", "venue"):
        if name in data and data[name] is not None:
            setattr(meeting, name, str(data[name]))
    if data.get("vice_chairs") is not None:
        meeting.vice_chairs = list(data["vice_chairs"])
    meeting.save()
    return meeting


def meeting_registration_open(meeting: Meeting, today: date | None = None) -> bool:
    return (today or _today()) <= meeting.registration_closes_on


def _category(organisation: Organisation | None) -> str:
    kinds: dict[str, str] = {
        Organisation.Kind.MEMBER_STATE: Registration.Category.MEMBER_STATE,
        Organisation.Kind.SECTOR_MEMBER: Registration.Category.SECTOR_MEMBER,
        Organisation.Kind.ACADEMIA: Registration.Category.ACADEMIA,
    }
    kind = organisation.kind if organisation else ""
    return str(kinds.get(kind, Registration.Category.EXPERT))


@transaction.atomic
def registration_create(*, user: User, meeting: Meeting, data: dict[str, Any]) -> Registration:
    """Register ``user`` for ``meeting`` for their organisation. ``data``: attendance,
    country (defaults to the organisation's), fellowship (bool: ask for a fellowship, for
    delegates of developing countries)."""
    access.require_delegate(user)
    if not meeting_registration_open(meeting):
        message = _("Registration for this meeting closed on %(date)s.") % {
            "date": meeting.registration_closes_on.isoformat()
        }
        raise WrongState(
            message,
            details={"errors": [{"field": "meeting", "code": "closed", "message": message}]},
        )
    organisation = user.organisation
    errors = FieldErrors()
    _require(errors, data, "attendance")
    _choice(errors, data, "attendance", Registration.Attendance)
    country = _country(errors, "country", data.get("country")) or (
        organisation.country if organisation else None
    )
    if country is None and "country" not in {e["field"] for e in errors.errors}:
        errors.add("country", _("This field is required."), "required")
    if Registration.objects.filter(meeting=meeting, user=user).exists():
        errors.add("meeting", _("You are already registered for this meeting."), "duplicate")
    fellowship = bool(data.get("fellowship"))
    if fellowship and country is not None and not country_is_developing(country):
        errors.add(
            "fellowship",
            _(
                "Fellowships are for delegates of developing countries (LDC, LLDC, SIDS or "
                "economy in transition)."
            ),
            "not_eligible",
        )
    errors.raise_if_any()
    return Registration.objects.create(
        meeting=meeting,
        user=user,
        organisation=organisation,
        country=cast(Country, country),
        category=_category(organisation),
        attendance=data["attendance"],
        fellowship=(
            Registration.Fellowship.REQUESTED if fellowship else Registration.Fellowship.NONE
        ),
    )


def country_is_developing(country: Country) -> bool:
    return country.groupings.filter(code__in=DEVELOPING_GROUPINGS).exists()


@transaction.atomic
def fellowship_decide(*, user: User, registration: Registration, granted: bool) -> Registration:
    access.require_meeting_manager(user, registration.meeting)
    if registration.fellowship == Registration.Fellowship.NONE:
        raise WrongState(_("No fellowship was requested for this registration."))
    registration.fellowship = (
        Registration.Fellowship.GRANTED if granted else Registration.Fellowship.REFUSED
    )
    registration.fellowship_decided_by = user
    registration.save(update_fields=["fellowship", "fellowship_decided_by"])
    return registration


@transaction.atomic
def attendance_record(*, user: User, meeting: Meeting, attended_ids: list[int]) -> int:
    """After the meeting, its manager marks who attended (the others did not)."""
    access.require_meeting_manager(user, meeting)
    registrations = meeting.registrations.all()
    registrations.update(attended=False)
    return registrations.filter(pk__in=attended_ids).update(attended=True)


# --- documents ------------------------------------------------------------------------------


@dataclass
class Upload:
    name: str
    content: bytes = field(repr=False)

    @classmethod
    def of(cls, uploaded: Any) -> "Upload | None":
        """Of an uploaded file (a page's form or the API), or None when there is none."""
        return cls(uploaded.name or "", uploaded.read()) if uploaded else None


def _file_check(errors: FieldErrors, name: str, upload: Upload | None) -> None:
    if upload is None:
        return
    problem = upload_problem(
        name=upload.name,
        size=len(upload.content),
        content=upload.content,
        accepted=DOCUMENT_TYPES,
        max_bytes=DOCUMENT_MAX_BYTES,
    )
    if problem is not None:
        errors.add(name, problem.message, problem.code)


def _next_seq(meeting: Meeting) -> int:
    top = meeting.documents.aggregate(top=Max("seq"))["top"]
    return int(top or 0) + 1


def _language(errors: FieldErrors, name: str, value: str | None) -> None:
    if value:  # a missing value is reported as required
        errors.add_unless_language(name, value)


@transaction.atomic
def document_submit(
    *, user: User, meeting: Meeting, data: dict[str, Any], upload: Upload | None = None
) -> Document:
    """Register a document with the next number of the meeting (or the ``seq`` the meeting's
    manager gives). Delegates submit contributions and information documents for their
    organisation, under the deadline rule set of the meeting's body (``deadlines.py``): past
    its last day a contribution is refused for this meeting (it is held for the next one)."""
    manager = access.user_manages_meeting(user, meeting)
    if not manager:
        access.require_delegate(user)
    errors = FieldErrors()
    _require(errors, data, "kind", "purpose", "title", "original_language")
    _choice(errors, data, "kind", Document.Kind)
    _choice(errors, data, "purpose", Document.Purpose)
    _language(errors, "original_language", data.get("original_language"))
    kind = data.get("kind")
    if not manager and kind and kind not in DELEGATE_KINDS:
        errors.add(
            "kind",
            _(
                "Delegates submit contributions and information documents; other types come "
                "from the secretariat."
            ),
            "not_allowed",
        )
    received = timezone.now()
    rule = timeliness(
        meeting.body.rule_set,
        meeting_starts=meeting.starts_on,
        received=timezone.localdate(received),
        kind=str(kind),
    )
    if rule == HELD and not manager:
        deadlines = meeting_deadlines(meeting, timezone.localdate(received))
        errors.add("meeting", held_message(deadlines), "past_deadline")
    seq = data.get("seq") if manager and data.get("seq") else None
    if seq is not None and meeting.documents.filter(seq=seq).exists():
        errors.add(
            "seq",
            _("The number %(number)s is already taken.")
            % {
                "number": Document(meeting=meeting, seq=int(seq), revision=0).number(
                    data.get("original_language") or "en"
                )
            },
            "duplicate",
        )
    country = _country(errors, "country", data.get("country"))
    _file_check(errors, "file", upload)
    errors.raise_if_any()
    organisation = user.organisation
    document = Document.objects.create(
        meeting=meeting,
        seq=int(seq) if seq is not None else _next_seq(meeting),
        kind=str(kind),
        purpose=data["purpose"],
        title=data["title"].strip(),
        abstract=data.get("abstract", ""),
        action_required=data.get("action_required", ""),
        source=data.get("source") or (organisation.name if organisation else user.get_full_name()),
        organisation=organisation,
        country=country or (organisation.country if organisation else None),
        original_language=data["original_language"],
        contact=data.get("contact", ""),
        timeliness=rule,
        submitted_by=user,
        received_at=received,
    )
    _versions_start(document, upload)
    return document


def _versions_start(document: Document, upload: Upload | None) -> None:
    """The original language version holds the file; the others start as missing."""
    for language in UI_LANGUAGE_CODES:
        version = DocumentVersion(
            document=document,
            language=language,
            status=(
                DocumentVersion.Status.APPROVED
                if language == document.original_language
                else DocumentVersion.Status.MISSING
            ),
        )
        if upload is not None and language == document.original_language:
            version.file_name = upload.name[:200]
            version.file.save(f"{document.pk}-{language}", ContentFile(upload.content), save=False)
        version.save()


@transaction.atomic
def document_revise(
    *, user: User, document: Document, data: dict[str, Any], upload: Upload | None = None
) -> Document:
    """A new revision (``Rev.k``) of ``document`` with the same sequence number; the other
    language versions of the new revision start as missing."""
    if not access.user_manages_meeting(user, document.meeting) and not (
        user.is_authenticated and document.submitted_by_id == user.pk
    ):
        raise ActionForbidden()
    errors = FieldErrors()
    _file_check(errors, "file", upload)
    errors.raise_if_any()
    top = document.meeting.documents.filter(seq=document.seq).aggregate(top=Max("revision"))
    revised = Document.objects.get(pk=document.pk)
    revised.pk = None
    revised._state.adding = True
    revised.revision = int(top["top"] or 0) + 1
    revised.title = (data.get("title") or document.title).strip()
    revised.abstract = data.get("abstract", document.abstract)
    revised.status = Document.Status.SUBMITTED
    revised.received_at = timezone.now()
    revised.published_at = None
    revised.submitted_by = user
    try:
        with transaction.atomic():
            revised.save()
    except IntegrityError as error:
        raise WrongState(
            _("Another revision was registered at the same time; try again.")
        ) from error
    revised.related.add(document)
    _versions_start(revised, upload)
    return revised


@transaction.atomic
def document_publish(*, user: User, document: Document) -> Document:
    access.require_meeting_manager(user, document.meeting)
    if document.status != Document.Status.SUBMITTED:
        raise WrongState(_("Only a submitted document can be published."))
    document.status = Document.Status.PUBLISHED
    document.published_at = timezone.now()
    document.save(update_fields=["status", "published_at"])
    return document


@transaction.atomic
def document_withdraw(*, user: User, document: Document) -> Document:
    if (
        not access.user_manages_meeting(user, document.meeting)
        and document.submitted_by_id != user.pk
    ):
        raise ActionForbidden()
    document.status = Document.Status.WITHDRAWN
    document.save(update_fields=["status"])
    return document


@transaction.atomic
def version_set(
    *,
    user: User,
    document: Document,
    language: str,
    status: str,
    upload: Upload | None = None,
) -> DocumentVersion:
    """A language version's translation status, and its file."""
    access.require_meeting_manager(user, document.meeting)
    errors = FieldErrors()
    _language(errors, "language", language)
    if status not in DocumentVersion.Status.values:
        errors.add(
            "status",
            _("Choose one of: %(choices)s.")
            % {"choices": ", ".join(DocumentVersion.Status.values)},
            "invalid_choice",
        )
    _file_check(errors, "file", upload)
    errors.raise_if_any()
    version, _created = DocumentVersion.objects.get_or_create(document=document, language=language)
    version.status = status
    if upload is not None:
        version.file_name = upload.name[:200]
        version.file.save(f"{document.pk}-{language}", ContentFile(upload.content), save=False)
    version.save()
    return version


# --- liaison statements ---------------------------------------------------------------------

LIAISON_NEXT: dict[str, set[str]] = {
    LiaisonStatement.Status.DRAFT: {LiaisonStatement.Status.AGREED},
    LiaisonStatement.Status.AGREED: {LiaisonStatement.Status.SENT},
    LiaisonStatement.Status.SENT: {
        LiaisonStatement.Status.REPLY_DUE,
        LiaisonStatement.Status.REPLIED,
    },
    LiaisonStatement.Status.REPLY_DUE: {LiaisonStatement.Status.REPLIED},
    LiaisonStatement.Status.REPLIED: set(),
}
ADDRESSEE_FOR = ("action", "comments", "information")


def _addressees(errors: FieldErrors, value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or not value:
        errors.add("addressees", _("Name at least one addressee."), "required")
        return []
    cleaned = []
    for index, entry in enumerate(value):
        body = str((entry or {}).get("body", "")).strip() if isinstance(entry, dict) else ""
        purpose = entry.get("for") if isinstance(entry, dict) else None
        if not body:
            errors.add(f"addressees[{index}].body", _("This field is required."), "required")
        if purpose not in ADDRESSEE_FOR:
            errors.add(
                f"addressees[{index}].for",
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(ADDRESSEE_FOR)},
                "invalid_choice",
            )
        cleaned.append({"body": body, "for": str(purpose)})
    return cleaned


@transaction.atomic
def liaison_create(*, user: User, meeting: Meeting, data: dict[str, Any]) -> LiaisonStatement:
    """A liaison statement and its document. Outgoing statements start as drafts; incoming
    ones as sent (to us), with a reply due when an addressee is asked for action or comments
    and there is a deadline. ``reply_to``: the id of the statement this one answers."""
    access.require_meeting_manager(user, meeting)
    incoming = data.get("direction") == "in"
    errors = FieldErrors()
    _require(errors, data, "subject", "origin", "approval", "contact", "original_language")
    _language(errors, "original_language", data.get("original_language"))
    addressees = _addressees(errors, data.get("addressees"))
    deadline = _date(errors, data, "deadline")
    reply_to = None
    if data.get("reply_to"):
        reply_to = LiaisonStatement.objects.filter(pk=data["reply_to"]).first()
        if reply_to is None:
            errors.add("reply_to", _("Unknown liaison statement."), "unknown")
    errors.raise_if_any()
    asks = any(entry["for"] in ("action", "comments") for entry in addressees)
    document = document_submit(
        user=user,
        meeting=meeting,
        data={
            "kind": Document.Kind.LIAISON_IN if incoming else Document.Kind.LIAISON_OUT,
            "purpose": Document.Purpose.ACTION if asks else Document.Purpose.INFORMATION,
            "title": data["subject"],
            "source": data["origin"],
            "original_language": data["original_language"],
            "contact": data["contact"],
            "seq": data.get("seq"),
        },
    )
    status = LiaisonStatement.Status.DRAFT
    if incoming:
        # Received statements are published at once: they are the other body's documents.
        document.status = Document.Status.PUBLISHED
        document.published_at = document.received_at
        document.save(update_fields=["status", "published_at"])
        status = (
            LiaisonStatement.Status.REPLY_DUE if asks and deadline else LiaisonStatement.Status.SENT
        )
    statement = LiaisonStatement.objects.create(
        document=document,
        origin=data["origin"],
        origin_questions=data.get("origin_questions", ""),
        addressees=addressees,
        subject=data["subject"],
        approval=data["approval"],
        deadline=deadline,
        contact=data["contact"],
        status=status,
        reply_to=reply_to,
        sent_on=_today() if incoming else None,
    )
    if incoming and reply_to is not None:
        _mark_replied(reply_to)
    return statement


def _mark_replied(statement: LiaisonStatement) -> None:
    if statement.status in (LiaisonStatement.Status.SENT, LiaisonStatement.Status.REPLY_DUE):
        statement.status = LiaisonStatement.Status.REPLIED
        statement.save(update_fields=["status"])


@transaction.atomic
def liaison_advance(*, user: User, statement: LiaisonStatement, status: str) -> LiaisonStatement:
    """Move an outgoing statement along draft → agreed → sent (→ reply due) → replied.
    Sending one that asks for action or comments with a deadline makes a reply due; sending a
    reply marks the statement it answers as replied."""
    access.require_meeting_manager(user, statement.document.meeting)
    if status not in LIAISON_NEXT.get(statement.status, set()):
        raise WrongState(
            _("A statement that is “%(current)s” cannot become “%(next)s”.")
            % {
                "current": statement.get_status_display(),
                "next": dict(LiaisonStatement.Status.choices).get(status, status),
            }
        )
    if status == LiaisonStatement.Status.SENT:
        statement.sent_on = _today()
        asks = any(entry["for"] in ("action", "comments") for entry in statement.addressees)
        if asks and statement.deadline:
            status = LiaisonStatement.Status.REPLY_DUE
        if statement.reply_to is not None:
            _mark_replied(statement.reply_to)
        document = statement.document
        if document.status == Document.Status.SUBMITTED:
            document.status = Document.Status.PUBLISHED
            document.published_at = timezone.now()
            document.save(update_fields=["status", "published_at"])
    statement.status = status
    statement.save()
    return statement


# --- partners, activities, clause progress -------------------------------------------------


@transaction.atomic
def partner_save(*, user: User, data: dict[str, Any]) -> Partner:
    access.require_secretariat(user)
    errors = FieldErrors()
    _require(errors, data, "name", "kind")
    _choice(errors, data, "kind", Partner.Kind)
    errors.raise_if_any()
    partner, _created = Partner.objects.update_or_create(
        name=data["name"].strip(),
        defaults={
            "kind": data["kind"],
            "url": data.get("url", ""),
            "description": data.get("description", ""),
        },
    )
    for index, agreement in enumerate(data.get("agreements") or []):
        signed = _date(errors, agreement, "signed_on")
        if not agreement.get("title") or signed is None:
            errors.add(f"agreements[{index}]", _("Give a title and the date it was signed."))
            continue
        Agreement.objects.get_or_create(
            partner=partner, title=agreement["title"], defaults={"signed_on": signed}
        )
    errors.raise_if_any()
    return partner


@transaction.atomic
def activity_record(*, user: User, data: dict[str, Any]) -> Activity:
    """An activity of BDT or a regional office. ``data``: kind, title, description,
    starts_on, ends_on, region, countries (ISO codes), partners (ids), clauses (ids),
    participants."""
    errors = FieldErrors()
    _require(errors, data, "kind", "title", "starts_on", "clauses")
    _choice(errors, data, "kind", Activity.Kind)
    starts = _date(errors, data, "starts_on")
    ends = _date(errors, data, "ends_on") or starts
    if starts and ends and ends < starts:
        errors.add("ends_on", _("The last day is before the first day."), "invalid_date")
    region = _region(errors, "region", data.get("region"))
    countries = []
    for index, code in enumerate(data.get("countries") or []):
        country = _country(errors, f"countries[{index}]", code)
        if country is not None:
            countries.append(country)
    clauses = _clauses(errors, "clauses", list(data.get("clauses") or []))
    partners = list(Partner.objects.filter(pk__in=data.get("partners") or []))
    if len(partners) != len(set(data.get("partners") or [])):
        errors.add("partners", _("Unknown partner."), "unknown")
    participants = data.get("participants")
    if participants is not None and (not isinstance(participants, int) or participants < 0):
        errors.add("participants", _("Give a whole number of participants."), "invalid")
    errors.raise_if_any()
    access.require_region(user, region.code if region else None)
    activity = Activity.objects.create(
        kind=data["kind"],
        title=data["title"].strip(),
        description=data.get("description", ""),
        starts_on=cast(date, starts),
        ends_on=cast(date, ends),
        region=region,
        participants=participants,
        recorded_by=user,
    )
    activity.countries.set(countries)
    activity.clauses.set(clauses)
    activity.partners.set(partners)
    return activity


@transaction.atomic
def clause_progress_set(*, user: User, clause_id: str, data: dict[str, Any]) -> ClauseProgress:
    if not user_is_bdt_staff(user):
        raise ActionForbidden()
    errors = FieldErrors()
    clause = Clause.objects.filter(pk=clause_id).first()
    if clause is None:
        errors.add("clause", _("Unknown clauses: %(clauses)s.") % {"clauses": clause_id})
    _choice(errors, data, "status", ClauseProgress.Status)
    progress = data.get("progress", 0)
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        errors.add("progress", _("Give a percentage from 0 to 100."), "invalid")
    errors.raise_if_any()
    record, _created = ClauseProgress.objects.update_or_create(
        clause=clause,
        defaults={
            "status": data.get("status") or ClauseProgress.Status.NOT_STARTED,
            "progress": progress,
            "timeline": data.get("timeline", ""),
            "note": data.get("note", ""),
        },
    )
    return record


# --- youth consultations --------------------------------------------------------------------


@transaction.atomic
def youth_submit(
    *, consultation: YouthConsultation, text: str, age_band: str, region: str | None
) -> YouthSubmission:
    """An anonymous answer: nothing about the sender is kept (no account, no IP, no time of
    day). E-mail addresses and phone numbers in the text are masked before it is stored and
    the answer is flagged; every answer waits for a moderator."""
    today = _today()
    if not consultation.opens_on <= today <= consultation.closes_on:
        raise WrongState(_("This consultation is not open."))
    errors = FieldErrors()
    cleaned = (text or "").strip()
    if not cleaned:
        errors.add("text", _("This field is required."), "required")
    elif len(cleaned) > 2000:
        errors.add("text", _("Write at most 2,000 characters."), "too_long")
    if age_band not in YouthSubmission.AgeBand.values:
        errors.add(
            "age_band",
            _("Choose one of: %(choices)s.")
            % {"choices": ", ".join(YouthSubmission.AgeBand.values)},
            "invalid_choice",
        )
    found_region = _region(errors, "region", region)
    errors.raise_if_any()
    # Contact details a child writes by mistake are masked before anything is stored.
    masked, flagged = contact_details_masked(cleaned)
    return YouthSubmission.objects.create(
        consultation=consultation,
        text=masked,
        age_band=age_band,
        region=found_region,
        flagged=flagged,
        submitted_on=today,
    )


@transaction.atomic
def youth_moderate(*, user: User, submission: YouthSubmission, accept: bool) -> YouthSubmission:
    access.require_secretariat(user)
    if accept and submission.flagged:
        raise WrongState(_("This answer seems to contain contact details; it cannot be accepted."))
    submission.status = YouthSubmission.Status.ACCEPTED if accept else YouthSubmission.Status.HIDDEN
    submission.save(update_fields=["status"])
    return submission


@transaction.atomic
def youth_summary_set(
    *, user: User, consultation: YouthConsultation, summary: str
) -> YouthConsultation:
    access.require_secretariat(user)
    consultation.summary = summary
    consultation.save(update_fields=["summary"])
    return consultation
