"""The country profile: drafted from the answers, validated by the focal point (a frozen
snapshot), then published according to the assessment's confidentiality. One answer reports in
every framework through the crosswalk (``framework_view``). No score, no rank: only answers."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cophub.accounts.models import User

from .errors import FieldErrors
from .models import (
    Answer,
    Assessment,
    CountryProfile,
    CrosswalkLink,
    Framework,
    Item,
    MaturityPhase,
)

CONTENT_SCHEMA = 1
PROFILE_STATUSES = {
    "draft": gettext_lazy("Draft"),
    "validated": gettext_lazy("Validated, not published"),
    "published": gettext_lazy("Published"),
}


def answer_value(answer: Answer) -> Any:
    """The answer as plain JSON data: ``"yes"``, ``3``, ``"12.5"`` or a text."""
    if answer.item.kind == Item.Kind.YES_NO_PARTIAL:
        return answer.choice
    if answer.item.kind == Item.Kind.MATURITY:
        return answer.maturity
    if answer.item.kind == Item.Kind.NUMERIC:
        return None if answer.number is None else format(answer.number.normalize(), "f")
    return answer.text


def _who(user: User | None) -> str:
    if user is None:
        return ""
    return user.organisation.name if user.organisation else user.username


def profile_content(assessment: Assessment) -> dict[str, Any]:
    """The profile as plain data, from the current answers (what a validation freezes)."""
    evidence: dict[int, list[dict[str, Any]]] = {}
    for item in assessment.evidence.all().order_by("issued_on", "pk"):
        evidence.setdefault(item.item_id, []).append(
            {
                "title": item.title,
                "issuing_body": item.issuing_body,
                "issued_on": item.issued_on.isoformat(),
                "language": item.language,
                "url": item.url,
                "file_name": item.file_name,
            }
        )
    answers = {}
    for answer in assessment.answers.select_related("item", "answered_by__organisation"):
        answers[answer.item.key] = {
            "kind": answer.item.kind,
            "value": answer_value(answer),
            "comment": answer.comment,
            "answered_by": _who(answer.answered_by),
            "answered_at": answer.answered_at.isoformat(),
            "evidence": evidence.get(answer.item_id, []),
        }
    profile = CountryProfile.objects.filter(assessment=assessment).first()
    return {
        "schema": CONTENT_SCHEMA,
        "country": assessment.country_id,
        "year": assessment.year,
        "framework": {"key": assessment.framework.key, "version": assessment.framework.version},
        "summary": profile.summary if profile else "",
        "answers": answers,
        "consultations": [
            {
                "held_on": c.held_on.isoformat(),
                "method": c.method,
                "participants": c.participants,
                "age_min": c.age_min,
                "age_max": c.age_max,
                "inclusion": c.inclusion,
                "summary": c.summary,
                "influence": c.influence,
            }
            for c in assessment.consultations.all()
        ],
        "stakeholders": [
            {"name": s.name, "sector": s.sector, "involvement": s.involvement, "role": s.role}
            for s in assessment.stakeholders.all()
        ],
    }


@transaction.atomic
def profile_update_summary(*, assessment: Assessment, summary: str) -> CountryProfile:
    profile = CountryProfile.objects.select_for_update().get(assessment=assessment)
    profile.summary = summary.strip()[:20_000]
    profile.save(update_fields=["summary"])
    return profile


@transaction.atomic
def profile_validate(*, assessment: Assessment, user: User) -> CountryProfile:
    """Freeze the profile as it stands. The answers must be submitted (locked) first."""
    if not assessment.is_locked:
        errors = FieldErrors()
        errors.add(
            "status",
            _("Submit the assessment before validating its profile."),
            "not_submitted",
        )
        errors.raise_if_any()
    profile = CountryProfile.objects.select_for_update().get(assessment=assessment)
    profile.validated_content = profile_content(assessment)
    profile.validated_at = timezone.now()
    profile.validated_by = user
    profile.save(update_fields=["validated_content", "validated_at", "validated_by"])
    return profile


@transaction.atomic
def profile_publish(*, assessment: Assessment, user: User) -> CountryProfile:
    """Share the validated profile with those the confidentiality names."""
    profile = CountryProfile.objects.select_for_update().get(assessment=assessment)
    if profile.validated_content is None:
        errors = FieldErrors()
        errors.add("status", _("Validate the profile before publishing it."), "not_validated")
        errors.raise_if_any()
    profile.published_content = profile.validated_content
    profile.published_at = timezone.now()
    profile.published_by = user
    profile.save(update_fields=["published_content", "published_at", "published_by"])
    return profile


def maturity_names() -> dict[int, str]:
    return {phase.value: phase.name for phase in MaturityPhase.objects.all()}


def value_label(kind: str, value: Any, phases: dict[int, str]) -> str:
    """How an answer reads: "Partial", "Developing (2)", "12.5", or the text."""
    if value is None or value == "":
        return _("Not answered")
    if kind == Item.Kind.YES_NO_PARTIAL:
        return {"yes": _("Yes"), "no": _("No"), "partial": _("Partial")}.get(value, str(value))
    if kind == Item.Kind.MATURITY:
        name = phases.get(int(value), "")
        return _("%(phase)s (%(value)s)") % {"phase": name, "value": value} if name else str(value)
    return str(value)


@dataclass
class ItemRow:
    item: Item
    answer: dict[str, Any] | None
    via: Item | None = None  # the answered item of another framework, through the crosswalk
    related: list[tuple[Item, dict[str, Any]]] = field(default_factory=list)
    label: str = ""


@dataclass
class SectionView:
    key: str
    title: str
    rows: list[ItemRow]

    @property
    def answered(self) -> int:
        return sum(1 for row in self.rows if row.answer is not None)


def _links_between(source: Framework, view: Framework) -> list[CrosswalkLink]:
    both = [source.pk, view.pk]
    return list(
        CrosswalkLink.objects.filter(
            source__framework_id__in=both, target__framework_id__in=both
        ).select_related("source", "target")
    )


def framework_view(
    content: dict[str, Any], source: Framework, view: Framework
) -> list[SectionView]:
    """The answers of ``content`` (given on ``source``) read through ``view``: directly when
    the frameworks are the same; else a ``same`` crosswalk link carries the answer over, and
    ``related`` links show the linked answers as context."""
    answers: dict[str, dict[str, Any]] = content.get("answers", {})
    phases = maturity_names()
    same: dict[int, list[Item]] = {}
    related: dict[int, list[Item]] = {}
    if source.pk != view.pk:
        for link in _links_between(source, view):
            for mine, other in ((link.source, link.target), (link.target, link.source)):
                if mine.framework_id == view.pk and other.framework_id == source.pk:
                    target = same if link.relation == CrosswalkLink.Relation.SAME else related
                    target.setdefault(mine.pk, []).append(other)
    sections = []
    for section in view.sections.prefetch_related("items"):
        rows = []
        for item in section.items.all():
            row = ItemRow(item=item, answer=None)
            if source.pk == view.pk:
                row.answer = answers.get(item.key)
            else:
                for other in same.get(item.pk, []):
                    if other.key in answers:
                        row.answer, row.via = answers[other.key], other
                        break
                row.related = [
                    (other, answers[other.key])
                    for other in related.get(item.pk, [])
                    if other.key in answers
                ]
            if row.answer is not None:
                row.label = value_label(item.kind, row.answer.get("value"), phases)
            rows.append(row)
        sections.append(SectionView(key=section.key, title=section.title, rows=rows))
    return sections


def gaps(sections: list[SectionView], top_phase: int) -> list[ItemRow]:
    """Items answered No or Partial, or below the top maturity phase: what a plan addresses."""
    found = []
    for section in sections:
        for row in section.rows:
            value = row.answer.get("value") if row.answer else None
            if row.item.kind == Item.Kind.YES_NO_PARTIAL and value in ("no", "partial"):
                found.append(row)
            elif row.item.kind == Item.Kind.MATURITY and value is not None and value < top_phase:
                found.append(row)
    return found


def evidence_list(content: dict[str, Any], framework: Framework) -> list[dict[str, Any]]:
    """Every piece of evidence of the profile, in framework order, with its question."""
    order = {item.key: item for item in framework.items.select_related("section")}
    listed = []
    for key, answer in content.get("answers", {}).items():
        item = order.get(key)
        for evidence in answer.get("evidence", []):
            listed.append({**evidence, "item": item, "item_key": key})
    return sorted(
        listed,
        key=lambda e: (
            (e["item"].section.position, e["item"].position) if e["item"] else (999, 0),
            e["issued_on"],
        ),
    )


def content_framework(content: dict[str, Any]) -> Framework | None:
    reference = content.get("framework", {})
    return Framework.objects.filter(
        key=reference.get("key"), version=reference.get("version")
    ).first()


def number_or_none(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None
