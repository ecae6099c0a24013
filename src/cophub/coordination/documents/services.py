"""Writes for the document register: submitting a document (under the deadline rules of the
meeting's body), revising, publishing and withdrawing it, and its language versions."""

from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.accounts.models import User
from cophub.portal.errors import FieldErrors
from cophub.portal.uploads import upload_problem
from cophub.reference.languages import UI_LANGUAGE_CODES

from ..deadlines import HELD, held_message, meeting_deadlines, timeliness
from ..errors import WrongState
from ..field_checks import country_checked, language_checked
from ..meetings.models import Meeting
from .models import Document, DocumentVersion

DOCUMENT_TYPES = ("pdf", "docx", "xlsx", "pptx", "odt", "txt")


DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


DELEGATE_KINDS = (Document.Kind.CONTRIBUTION, Document.Kind.INFORMATION)


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


@transaction.atomic
def document_submit(
    *,
    user: User,
    meeting: Meeting,
    kind: Document.Kind,
    purpose: Document.Purpose,
    title: str,
    original_language: str,
    abstract: str = "",
    action_required: str = "",
    source: str = "",
    country: str | None = None,
    contact: str = "",
    seq: int | None = None,
    upload: Upload | None = None,
    as_manager: bool = False,
) -> Document:
    """Register a document with the next number of the meeting (or the ``seq`` the meeting's
    manager gives). Delegates submit contributions and information documents for their
    organisation, under the deadline rule set of the meeting's body (``deadlines.py``): past
    its last day a contribution is refused for this meeting (it is held for the next one).
    ``as_manager``: ``user`` manages the meeting (``access.user_manages_meeting``): any type,
    any number, no deadline. ``source`` defaults to the organisation's name, ``country`` (ISO
    code) to its country."""
    manager = as_manager
    errors = FieldErrors()
    language_checked(errors, "original_language", original_language)
    if not manager and kind not in DELEGATE_KINDS:
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
    number = seq if manager else None
    if number is not None and meeting.documents.filter(seq=number).exists():
        errors.add(
            "seq",
            _("The number %(number)s is already taken.")
            % {
                "number": Document(meeting=meeting, seq=number, revision=0).number(
                    original_language or "en"
                )
            },
            "duplicate",
        )
    found_country = country_checked(errors, "country", country)
    _file_check(errors, "file", upload)
    errors.raise_if_any()
    organisation = user.organisation
    document = Document.objects.create(
        meeting=meeting,
        seq=number if number is not None else _next_seq(meeting),
        kind=kind,
        purpose=purpose,
        title=title.strip(),
        abstract=abstract,
        action_required=action_required,
        source=source or (organisation.name if organisation else user.get_full_name()),
        organisation=organisation,
        country=found_country or (organisation.country if organisation else None),
        original_language=original_language,
        contact=contact,
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
    *,
    user: User,
    document: Document,
    title: str | None = None,
    abstract: str | None = None,
    upload: Upload | None = None,
) -> Document:
    """A new revision (``Rev.k``) of ``document`` with the same sequence number (the title
    and abstract stay unless given); the other language versions of the new revision start as
    missing."""
    errors = FieldErrors()
    _file_check(errors, "file", upload)
    errors.raise_if_any()
    top = document.meeting.documents.filter(seq=document.seq).aggregate(top=Max("revision"))
    revised = Document.objects.get(pk=document.pk)
    revised.pk = None
    revised._state.adding = True
    revised.revision = int(top["top"] or 0) + 1
    revised.title = (title or document.title).strip()
    revised.abstract = document.abstract if abstract is None else abstract
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
    if document.status != Document.Status.SUBMITTED:
        raise WrongState(_("Only a submitted document can be published."))
    document.status = Document.Status.PUBLISHED
    document.published_at = timezone.now()
    document.save(update_fields=["status", "published_at"])
    return document


@transaction.atomic
def document_withdraw(*, user: User, document: Document) -> Document:
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
    errors = FieldErrors()
    language_checked(errors, "language", language)
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
