"""Writes for self-assessments: opening (from last year's answers), assigning sections,
answering with evidence, the consultation with children and the stakeholder map, submitting
and reopening. Callers check permissions through ``access``; every service is all or nothing."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.accounts.models import User
from cophub.portal.errors import ObjectNotFound
from cophub.reference.models import Country, Language

from .errors import AssessmentLocked, FieldErrors
from .evidence_files import evidence_file_problem
from .models import (
    Answer,
    Assessment,
    Assignment,
    Confidentiality,
    CountryProfile,
    Evidence,
    Framework,
    Item,
    MaturityPhase,
    Section,
    Stakeholder,
)

TEXT_MAX = 10_000
FIRST_YEAR = 2000


def ensure_open(assessment: Assessment) -> None:
    if assessment.is_locked:
        raise AssessmentLocked()


@transaction.atomic
def assessment_open(
    *,
    user: User,
    country: Country,
    year: int,
    framework: Framework,
    start_from_previous: bool = True,
) -> Assessment:
    """A new assessment; by default it starts from the country's latest earlier assessment on
    the same framework (any version): answers, evidence, stakeholders and assignments."""
    errors = FieldErrors()
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year + 1:
        errors.add(
            "year",
            _("Choose a year between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": this_year + 1},
        )
    elif Assessment.objects.filter(country=country, year=year, framework=framework).exists():
        errors.add(
            "year",
            _("%(country)s already has an assessment for %(year)s on this framework.")
            % {"country": country.name, "year": year},
            "duplicate",
        )
    errors.raise_if_any()
    previous = (
        Assessment.objects.filter(country=country, framework__key=framework.key, year__lt=year)
        .order_by("-year")
        .first()
        if start_from_previous
        else None
    )
    assessment = Assessment.objects.create(
        country=country, year=year, framework=framework, opened_by=user, previous=previous
    )
    CountryProfile.objects.create(assessment=assessment)
    if previous is not None:
        _carry_over(previous, assessment)
    return assessment


def _carry_over(previous: Assessment, assessment: Assessment) -> None:
    items = {item.key: item for item in assessment.framework.items.all()}
    sections = {section.key: section for section in assessment.framework.sections.all()}
    for answer in previous.answers.select_related("item"):
        item = items.get(answer.item.key)
        if item is None or item.kind != answer.item.kind:
            continue
        Answer.objects.create(
            assessment=assessment,
            item=item,
            choice=answer.choice,
            maturity=answer.maturity,
            number=answer.number,
            text=answer.text,
            comment=answer.comment,
            answered_by=answer.answered_by,
            answered_at=answer.answered_at,
            carried_over=True,
        )
    for evidence in previous.evidence.select_related("item"):
        item = items.get(evidence.item.key)
        if item is None:
            continue
        Evidence.objects.create(
            assessment=assessment,
            item=item,
            title=evidence.title,
            file=evidence.file.name if evidence.file else "",
            file_name=evidence.file_name,
            url=evidence.url,
            issuing_body=evidence.issuing_body,
            issued_on=evidence.issued_on,
            language=evidence.language,
            added_by=evidence.added_by,
            carried_over=True,
        )
    for stakeholder in previous.stakeholders.all():
        Stakeholder.objects.create(
            assessment=assessment,
            name=stakeholder.name,
            sector=stakeholder.sector,
            involvement=stakeholder.involvement,
            role=stakeholder.role,
            organisation=stakeholder.organisation,
        )
    for assignment in previous.assignments.select_related("section", "user"):
        section = sections.get(assignment.section.key)
        if section is not None and assignment.user.is_active:
            Assignment.objects.create(
                assessment=assessment,
                section=section,
                user=assignment.user,
                assigned_by=assignment.assigned_by,
            )


@transaction.atomic
def assignment_create(
    *, assessment: Assessment, section_key: str, username: str, by: User
) -> Assignment:
    """Give a section to a co-respondent: an active user of an organisation of the country,
    or of an organisation without a country (e.g. an international company or NGO)."""
    ensure_open(assessment)
    errors = FieldErrors()
    section = Section.objects.filter(framework=assessment.framework, key=section_key).first()
    if section is None:
        errors.add("section", _("Choose a section of this framework."))
    respondent = (
        User.objects.select_related("organisation")
        .filter(username=username.strip(), is_active=True)
        .first()
    )
    if respondent is None:
        errors.add("username", _("No active user has this user name."))
    elif respondent.organisation is None or respondent.organisation.country_id not in (
        None,
        assessment.country_id,
    ):
        errors.add(
            "username",
            _(
                "Co-respondents belong to an organisation of %(country)s or to one without "
                "a country."
            )
            % {"country": assessment.country.name},
        )
    if section is None or respondent is None or errors:
        errors.raise_if_any()
        raise ObjectNotFound()  # unreachable: a missing section or user is an error above
    assignment, _created = Assignment.objects.get_or_create(
        assessment=assessment, section=section, user=respondent, defaults={"assigned_by": by}
    )
    return assignment


@transaction.atomic
def assignment_delete(*, assessment: Assessment, assignment_id: int) -> None:
    deleted, _counts = Assignment.objects.filter(pk=assignment_id, assessment=assessment).delete()
    if not deleted:
        raise ObjectNotFound()


@dataclass(frozen=True)
class EvidenceInput:
    title: str
    issuing_body: str
    issued_on: date | None
    language: str
    url: str = ""
    file: "UploadedFile[bytes] | None" = None


def _check_evidence(data: EvidenceInput, prefix: str, errors: FieldErrors) -> None:
    if not data.title.strip():
        errors.add(f"{prefix}title", _("Give the title of the document."), "required")
    if not data.issuing_body.strip():
        errors.add(f"{prefix}issuing_body", _("Say which body issued it."), "required")
    if data.issued_on is None:
        errors.add(f"{prefix}issued_on", _("Give the date of the document."), "required")
    elif data.issued_on > timezone.localdate():
        errors.add(f"{prefix}issued_on", _("The date is in the future."))
    if not Language.objects.filter(code=data.language).exists():
        errors.add(
            f"{prefix}language",
            _("Unknown language code %(value)s.") % {"value": data.language or "?"},
        )
    if data.file is None and not data.url.strip():
        errors.add(f"{prefix}url", _("Attach a file or give a link."), "required")
    elif data.file is not None and data.url.strip():
        errors.add(f"{prefix}url", _("Give either a file or a link, not both."))
    elif data.file is not None:
        problem = evidence_file_problem(data.file)
        if problem:
            errors.add(f"{prefix}file", problem, "file_refused")
    else:
        try:
            URLValidator(schemes=["http", "https"])(data.url.strip())
        except ValidationError:
            errors.add(f"{prefix}url", _("Enter a web address starting with https://."))


def _create_evidence(
    assessment: Assessment, item: Item, data: EvidenceInput, user: User
) -> Evidence:
    evidence = Evidence(
        assessment=assessment,
        item=item,
        title=data.title.strip(),
        url=data.url.strip(),
        issuing_body=data.issuing_body.strip(),
        issued_on=cast(date, data.issued_on),  # checked by _check_evidence
        language=data.language,
        added_by=user,
    )
    if data.file is not None:
        evidence.file_name = (data.file.name or "")[:200]
        evidence.file.save(data.file.name or "evidence", data.file, save=False)
    evidence.save()
    return evidence


def maturity_range() -> tuple[int, int]:
    values = list(MaturityPhase.objects.values_list("value", flat=True))
    return (min(values), max(values)) if values else (1, 4)


def _value_fields(item: Item, value: Any, errors: FieldErrors) -> dict[str, Any]:
    """The answer columns for ``value``, or errors naming the field ``value``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.add("value", _("This question needs an answer."), "required")
        return {}
    if item.kind == Item.Kind.YES_NO_PARTIAL:
        if value not in Answer.Choice.values:
            errors.add("value", _("Answer Yes, No or Partial."), "out_of_scale")
            return {}
        return {"choice": value}
    if item.kind == Item.Kind.MATURITY:
        low, high = maturity_range()
        try:
            phase = int(value)
        except (TypeError, ValueError):
            phase = None
        if isinstance(value, bool) or phase is None or str(phase) != str(value).strip():
            phase = None
        if phase is None or not low <= phase <= high:
            errors.add(
                "value",
                _("Choose a maturity phase from %(low)s to %(high)s.") % {"low": low, "high": high},
                "out_of_scale",
            )
            return {}
        return {"maturity": phase}
    if item.kind == Item.Kind.NUMERIC:
        return _number_fields(item, value, errors)
    text = str(value).strip()
    if len(text) > TEXT_MAX:
        errors.add("value", _("Keep the text under %(max)s characters.") % {"max": TEXT_MAX})
        return {}
    return {"text": text}


def _number_fields(item: Item, value: Any, errors: FieldErrors) -> dict[str, Any]:
    try:
        number = None if isinstance(value, bool) else Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        errors.add("value", _("Enter a number."), "not_a_number")
        return {}
    problem = _number_problem(item, number)
    if problem:
        errors.add("value", problem, "out_of_scale")
        return {}
    return {"number": number}


def _number_problem(item: Item, number: Decimal) -> str | None:
    if item.minimum is not None and number < item.minimum:
        return _("The number must be at least %(min)s.") % {"min": _plain(item.minimum)}
    if item.maximum is not None and number > item.maximum:
        return _("The number must be at most %(max)s.") % {"max": _plain(item.maximum)}
    if item.integer and number != number.to_integral_value():
        return _("Enter a whole number.")
    if abs(number) >= Decimal(10) ** 14:
        return _("The number is too large.")
    return None


def _plain(number: Decimal) -> str:
    """``100.0000`` → ``100``; ``0.5000`` → ``0.5`` (never ``1E+2``)."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@transaction.atomic
def answer_save(
    *,
    assessment: Assessment,
    item: Item,
    user: User,
    value: Any,
    comment: str = "",
    evidence: list[EvidenceInput] | None = None,
    evidence_prefix: str = "evidence.{index}.",
) -> Answer:
    """Record the answer to ``item`` with any new evidence. Yes and Partial need at least
    one piece of evidence (new or already attached)."""
    ensure_open(assessment)
    errors = FieldErrors()
    fields = _value_fields(item, value, errors)
    new_evidence = evidence or []
    for index, data in enumerate(new_evidence):
        _check_evidence(data, evidence_prefix.format(index=index), errors)
    if len(comment) > TEXT_MAX:
        errors.add("comment", _("Keep the text under %(max)s characters.") % {"max": TEXT_MAX})
    has_evidence = bool(new_evidence) or assessment.evidence.filter(item=item).exists()
    if fields.get("choice") in item.needs_evidence_for and not has_evidence:
        errors.add(
            "evidence",
            _("Yes and Partial answers need evidence: attach a document or give a link."),
            "evidence_required",
        )
    errors.raise_if_any()
    answer, _created = Answer.objects.update_or_create(
        assessment=assessment,
        item=item,
        defaults={
            "choice": "",
            "maturity": None,
            "number": None,
            "text": "",
            **fields,
            "comment": comment.strip(),
            "answered_by": user,
            "answered_at": timezone.now(),
            "carried_over": False,
        },
    )
    for data in new_evidence:
        _create_evidence(assessment, item, data, user)
    return answer


@transaction.atomic
def evidence_add(
    *, assessment: Assessment, item: Item, user: User, data: EvidenceInput, prefix: str = ""
) -> Evidence:
    ensure_open(assessment)
    errors = FieldErrors()
    _check_evidence(data, prefix, errors)
    errors.raise_if_any()
    return _create_evidence(assessment, item, data, user)


@transaction.atomic
def evidence_delete(*, assessment: Assessment, evidence: Evidence) -> None:
    """Remove evidence; the last piece behind a Yes or Partial answer cannot go."""
    ensure_open(assessment)
    answer = Answer.objects.filter(assessment=assessment, item_id=evidence.item_id).first()
    others = assessment.evidence.filter(item_id=evidence.item_id).exclude(pk=evidence.pk)
    if answer is not None and answer.choice in ("yes", "partial") and not others.exists():
        errors = FieldErrors()
        errors.add(
            "evidence",
            _("This is the only evidence of a Yes or Partial answer: change the answer first."),
            "evidence_required",
        )
        errors.raise_if_any()
    evidence.delete()  # the stored file stays: a carried-over copy may point to it


def missing_items(assessment: Assessment) -> list[Item]:
    answered = assessment.answers.values("item_id")
    return list(
        assessment.framework.items.filter(required=True)
        .exclude(pk__in=answered)
        .select_related("section")
    )


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user: User) -> Assessment:
    """Lock the answers. Every required question must be answered."""
    ensure_open(assessment)
    errors = FieldErrors()
    for item in missing_items(assessment):
        errors.add(
            item.key,
            _("Not answered yet: %(question)s") % {"question": item.text},
            "required",
        )
    errors.raise_if_any(_("Some questions are not answered yet."))
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = user
    assessment.save(update_fields=["status", "submitted_at", "submitted_by"])
    return assessment


@transaction.atomic
def assessment_reopen(*, assessment: Assessment) -> Assessment:
    """Unlock a submitted assessment. Its validation lapses (the answers may change); what was
    published stays published until the profile is validated and published again."""
    if not assessment.is_locked:
        errors = FieldErrors()
        errors.add("status", _("This assessment is already open."), "not_submitted")
        errors.raise_if_any()
    assessment.status = Assessment.Status.OPEN
    assessment.reopened_at = timezone.now()
    assessment.save(update_fields=["status", "reopened_at"])
    CountryProfile.objects.filter(assessment=assessment).update(
        validated_content=None, validated_at=None, validated_by=None
    )
    return assessment


@transaction.atomic
def assessment_set_confidentiality(*, assessment: Assessment, confidentiality: str) -> Assessment:
    if confidentiality not in Confidentiality.values:
        errors = FieldErrors()
        errors.add("confidentiality", _("Choose one of the confidentiality levels."))
        errors.raise_if_any()
    assessment.confidentiality = confidentiality
    assessment.save(update_fields=["confidentiality"])
    return assessment
