"""What changed between two years' assessments of a country, item by item: "Partial → Yes",
maturity up or down, numbers up or down, texts edited, with the evidence behind the new answer.
Items are matched by key, so a new framework version compares with the old one."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .models import Assessment, Item
from .profiles import maturity_names, number_or_none, profile_content, value_label

# Yes / No / Partial read as an order: No < Partial (advanced draft) < Yes.
CHOICE_ORDER = {"no": 0, "partial": 1, "yes": 2}


@dataclass(frozen=True)
class ItemChange:
    item: Item
    before: Any
    after: Any
    before_label: str
    after_label: str
    change: str  # "added" | "removed" | "changed" | "unchanged"
    direction: str  # "up" | "down" | ""
    evidence: list[dict[str, Any]]

    @property
    def summary(self) -> str:
        return _("%(before)s → %(after)s") % {
            "before": self.before_label,
            "after": self.after_label,
        }


def _direction(kind: str, before: Any, after: Any) -> str:
    old: Any
    new: Any
    if kind == Item.Kind.YES_NO_PARTIAL:
        old, new = CHOICE_ORDER.get(before), CHOICE_ORDER.get(after)
    elif kind == Item.Kind.MATURITY:
        old, new = before, after
    elif kind == Item.Kind.NUMERIC:
        old, new = number_or_none(before), number_or_none(after)
    else:
        return ""
    if old is None or new is None or old == new:
        return ""
    return "up" if new > old else "down"


def assessment_diff(current: Assessment, previous: Assessment) -> list[ItemChange]:
    """Every item of ``current``'s framework, compared with ``previous`` (same country)."""
    before = profile_content(previous)["answers"]
    after = profile_content(current)["answers"]
    phases = maturity_names()
    changes = []
    for item in current.framework.items.select_related("section").order_by(
        "section__position", "position"
    ):
        old = before.get(item.key)
        new = after.get(item.key)
        if old is None and new is None:
            continue
        old_value = old["value"] if old else None
        new_value = new["value"] if new else None
        if old is None:
            change = "added"
        elif new is None:
            change = "removed"
        else:
            change = "unchanged" if old_value == new_value else "changed"
        changes.append(
            ItemChange(
                item=item,
                before=old_value,
                after=new_value,
                before_label=value_label(item.kind, old_value, phases),
                after_label=value_label(item.kind, new_value, phases),
                change=change,
                direction=_direction(item.kind, old_value, new_value),
                evidence=new["evidence"] if new else [],
            )
        )
    return changes


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The one it started from, else the latest earlier one of the country on that framework."""
    if assessment.previous_id is not None:
        return assessment.previous
    return (
        Assessment.objects.filter(
            country_id=assessment.country_id,
            framework__key=assessment.framework.key,
            year__lt=assessment.year,
        )
        .order_by("-year")
        .first()
    )
