"""Writing submissions: create, edit (every edit a new version), attach files, and move
through the review states kept as data. All or nothing; permission checks are done before."""

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cophub.accounts.models import User
from cophub.portal.errors import InvalidInput
from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.reference.models import Clause, Country, Region
from cophub.resources.fingerprints import fingerprint_chunks

from ..errors import CallClosed, InvalidTransition, MissingFields
from ..models import (
    Attachment,
    Call,
    Category,
    ReferenceCounter,
    ReviewState,
    ReviewTransition,
    ScreeningFinding,
    Submission,
    SubmissionEvent,
    SubmissionVersion,
)
from ..safeguarding import Finding, attachment_screen, text_findings

TEXT_FIELDS = (
    "title",
    "abstract",
    "source_entity",
    "lessons_learned",
    "suggested_practice",
    "evidence_of_impact",
    "contact_name",
    "contact_email",
)
EDITABLE_FIELDS = (
    *TEXT_FIELDS,
    "category",
    "country",
    "region",
    "clauses",
    "framework_items",
    "original_language",
)
# Screened for personal data; the contact fields are meant to hold an adult's contact.
SCREENED_FIELDS = TEXT_FIELDS[:6]
REQUIRED_TO_SUBMIT = (
    "title",
    "abstract",
    "source_entity",
    "lessons_learned",
    "evidence_of_impact",
    "contact_name",
    "contact_email",
)
_FRAMEWORK_CODE = re.compile(r"^[\w.:-]{1,60}$")


def _error(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message}


def reference_next(year: int) -> str:
    """``COP-BP-<year>-<seq>``, numbered per year without gaps between concurrent creations."""
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"COP-BP-{year}-{counter.last:04d}"


def submission_content(submission: Submission) -> dict[str, Any]:
    """What a version keeps: every editable field, and the attachments by name and hash."""
    return {
        "title": submission.title,
        "abstract": submission.abstract,
        "source_entity": submission.source_entity,
        "category": submission.category_id,
        "country": submission.country_id,
        "region": submission.region_id,
        "clauses": sorted(submission.clauses.values_list("id", flat=True)),
        "framework_items": list(submission.framework_items),
        "lessons_learned": submission.lessons_learned,
        "suggested_practice": submission.suggested_practice,
        "evidence_of_impact": submission.evidence_of_impact,
        "contact_name": submission.contact_name,
        "contact_email": submission.contact_email,
        "original_language": submission.original_language,
        "attachments": [
            f"{a.original_name} ({a.sha256[:12]})" for a in submission.attachments.order_by("pk")
        ],
    }


def _version_record(submission: Submission, user: User | None) -> None:
    SubmissionVersion.objects.create(
        submission=submission,
        number=submission.version,
        content=submission_content(submission),
        created_by=user,
    )


def _validated(changes: dict[str, Any]) -> tuple[dict[str, Any], list[Clause] | None]:
    """Check the fields given (unknown fields, lookups, formats); all errors at once."""
    errors = []
    values: dict[str, Any] = {}
    clauses = None
    for field in changes:
        if field not in EDITABLE_FIELDS:
            errors.append(_error(field, _("This field cannot be changed.")))
    for field in TEXT_FIELDS:
        if field in changes:
            value = changes[field]
            if not isinstance(value, str):
                errors.append(_error(field, _("Give text.")))
                continue
            limit = getattr(Submission._meta.get_field(field), "max_length", None)
            if limit and len(value) > limit:
                errors.append(_error(field, _("At most %(count)s characters.") % {"count": limit}))
            values[field] = value.strip()
    if values.get("contact_email"):
        try:
            validate_email(values["contact_email"])
        except ValidationError:
            errors.append(_error("contact_email", _("Give a valid e-mail address.")))
    if "title" in values and not values["title"]:
        errors.append(_error("title", _("This field is required.")))
    lookups: dict[str, Any] = {"category": Category, "country": Country, "region": Region}
    for field, model in lookups.items():
        if field in changes:
            code = changes[field]
            found = model.objects.filter(pk=code).first() if code else None
            if code and found is None:
                errors.append(_error(field, _("Unknown value: %(value)s.") % {"value": code}))
            if field == "category" and found is None and not code:
                errors.append(_error(field, _("This field is required.")))
            values[field] = found
    if "clauses" in changes:
        wanted = set(changes["clauses"] or [])
        clauses = list(Clause.objects.filter(id__in=wanted))
        unknown = wanted - {c.id for c in clauses}
        if unknown:
            errors.append(
                _error(
                    "clauses", _("Unknown clauses: %(ids)s.") % {"ids": ", ".join(sorted(unknown))}
                )
            )
    if "framework_items" in changes:
        items = changes["framework_items"] or []
        if not isinstance(items, list) or not all(
            isinstance(i, str) and _FRAMEWORK_CODE.match(i) for i in items
        ):
            errors.append(_error("framework_items", _("Give a list of framework item codes.")))
        values["framework_items"] = items
    if "original_language" in changes:
        if changes["original_language"] not in UI_LANGUAGE_CODES:
            errors.append(_error("original_language", _("Choose one of the six ITU languages.")))
        values["original_language"] = changes["original_language"]
    if errors:
        raise InvalidInput(details={"errors": errors})
    return values, clauses


def _require_open(call: Call) -> None:
    if call.accepts_submissions():
        return
    values = {"title": call.title, "date": date_format(call.closes_at, "DATETIME_FORMAT")}
    if call.phase == Call.Phase.ANNOUNCED or (
        call.phase == Call.Phase.OPEN and timezone.now() < call.opens_at
    ):
        raise CallClosed(_("The call “%(title)s” is not open for submissions yet.") % values)
    raise CallClosed(
        _("The call “%(title)s” closed on %(date)s; no more submissions are accepted.") % values
    )


@transaction.atomic
def submission_create(*, call: Call, author: User, data: dict[str, Any]) -> Submission:
    """A draft in an open call; version 1."""
    _require_open(call)
    data = {**data}
    missing = [
        _error(field, _("This field is required."))
        for field in ("title", "category", "original_language")
        if not data.get(field)
    ]
    if missing:
        raise MissingFields(details={"errors": missing})
    values, clauses = _validated(data)
    organisation = author.organisation
    submission = Submission(
        reference=reference_next(timezone.now().year),
        call=call,
        state=ReviewState.objects.get(code="draft"),
        author=author,
        organisation=organisation,
        **values,
    )
    if not submission.source_entity and organisation is not None:
        submission.source_entity = organisation.name
    submission.save()
    if clauses is not None:
        submission.clauses.set(clauses)
    _version_record(submission, author)
    return submission


@transaction.atomic
def submission_update(*, submission: Submission, user: User, changes: dict[str, Any]) -> Submission:
    """Apply ``changes``; if anything changed, a new version. Edits after the draft stage
    are screened again."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    before = submission_content(submission)
    values, clauses = _validated(changes)
    for field, value in values.items():
        setattr(submission, field, value)
    submission.save()
    if clauses is not None:
        submission.clauses.set(clauses)
    if submission_content(submission) == before:
        return submission
    submission.version += 1
    submission.save(update_fields=["version", "updated_at"])
    _version_record(submission, user)
    if submission.state_id != "draft":
        _findings_store(submission, _text_screen(submission))
    return submission


def _text_screen(submission: Submission) -> list[Finding]:
    return [
        finding
        for field in SCREENED_FIELDS
        for finding in text_findings(field, getattr(submission, field))
    ]


def _findings_store(submission: Submission, findings: list[Finding]) -> None:
    """Record new findings (the same one flagged again is not repeated)."""
    for finding in findings:
        known = ScreeningFinding.objects.filter(
            submission=submission,
            field=finding.field,
            kind=finding.kind,
            excerpt=finding.excerpt[:200],
        )
        if not known.exists():
            ScreeningFinding.objects.create(
                submission=submission,
                field=finding.field,
                kind=finding.kind,
                excerpt=finding.excerpt[:200],
            )


@transaction.atomic
def attachment_add(*, submission: Submission, user: User, uploaded: Any) -> Attachment:
    name = (uploaded.name or "file")[:255]
    content = b"".join(uploaded.chunks())
    findings = attachment_screen(
        name, content, max_bytes=settings.COPHUB_PRACTICES_MAX_ATTACHMENT_BYTES
    )
    attachment = Attachment(
        submission=submission,
        original_name=name,
        size=len(content),
        sha256=fingerprint_chunks([content]),
        uploaded_by=user,
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    _findings_store(submission, findings)
    submission.version += 1
    submission.save(update_fields=["version", "updated_at"])
    _version_record(submission, user)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, user: User) -> None:
    submission = attachment.submission
    attachment.file.delete(save=False)
    attachment.delete()
    submission.version += 1
    submission.save(update_fields=["version", "updated_at"])
    _version_record(submission, user)


def submission_missing_fields(submission: Submission) -> list[dict[str, str]]:
    missing = [
        _error(field, _("This field is required."))
        for field in REQUIRED_TO_SUBMIT
        if not getattr(submission, field)
    ]
    if submission.country_id is None and submission.region_id is None:
        missing.append(_error("country", _("Give the country or the region.")))
    if not submission.clauses.exists():
        missing.append(_error("clauses", _("Choose at least one Resolution 67 clause.")))
    return missing


def _guard(submission: Submission, target: ReviewState, answer: str) -> None:
    if submission.state_id == "draft" and target.code == "submitted":
        _require_open(submission.call)
        missing = submission_missing_fields(submission)
        if missing:
            raise MissingFields(
                _("Complete the submission before sending it."), details={"errors": missing}
            )
    if target.code == "in_evaluation":
        open_findings = submission.findings.filter(resolution="").count()
        if open_findings:
            raise InvalidTransition(
                _("%(count)s screening findings must be resolved first.") % {"count": open_findings}
            )
    if target.is_decision and not answer.strip():
        raise MissingFields(
            _("Write the answer to the author."),
            details={"errors": [_error("answer", _("This field is required."))]},
        )
    if target.is_decision and submission.state_id == "in_evaluation":
        scored = submission.assignments.filter(conflict=False, scores__isnull=False).exists()
        if not scored:
            raise InvalidTransition(_("At least one reviewer must have scored the submission."))


@transaction.atomic
def submission_transition(
    *, submission: Submission, user: User, target: str, actors: set[str], answer: str = ""
) -> Submission:
    """Move to ``target`` if the workflow (data) allows it to one of ``actors`` (``author``,
    ``staff``: the roles the caller holds for this submission)."""
    submission = Submission.objects.select_for_update().select_related("call").get(pk=submission.pk)
    allowed = ReviewTransition.objects.filter(
        source_id=submission.state_id, target_id=target, actor__in=actors
    ).exists()
    state = ReviewState.objects.filter(code=target).first()
    if state is None or not allowed:
        raise InvalidTransition(
            _("A submission in state “%(state)s” cannot move to “%(target)s”.")
            % {"state": submission.state.name, "target": state.name if state else target}
        )
    _guard(submission, state, answer)
    source = submission.state
    submission.state = state
    if target == "submitted":
        submission.submitted_at = timezone.now()
        _findings_store(submission, _text_screen(submission))
    if state.is_decision:
        submission.decided_at = timezone.now()
    if answer.strip():
        submission.published_answer = answer.strip()
    submission.save()
    SubmissionEvent.objects.create(submission=submission, source=source, target=state, actor=user)
    return submission
