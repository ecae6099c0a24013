"""Writes for action plans: each gap becomes an action with an owner organisation, partners,
a timeline, a budget line, a target maturity, indicators, a status and tags (framework items and
Resolution 67 clauses); progress updates are dated. Callers check ``access.access_plan``."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import cast

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.accounts.models import Organisation, User
from cophub.portal.errors import ObjectNotFound
from cophub.reference.models import Clause

from .errors import FieldErrors
from .models import Action, ActionPlan, ActionUpdate, Assessment, Item
from .profiles import framework_view, gaps, profile_content
from .services import maturity_range


@transaction.atomic
def plan_open(*, assessment: Assessment, user: User, from_gaps: bool = True) -> ActionPlan:
    """The assessment's plan (created once); ``from_gaps`` adds one action per gap not yet
    covered, owned by the focal point's organisation until reassigned."""
    plan, _created = ActionPlan.objects.get_or_create(
        assessment=assessment,
        defaults={
            "title": _("National child online protection action plan %(year)s")
            % {"year": assessment.year},
            "created_by": user,
        },
    )
    if from_gaps and user.organisation is not None:
        covered = set(plan.actions.values_list("gap_item_id", flat=True))
        sections = framework_view(
            profile_content(assessment), assessment.framework, assessment.framework
        )
        for row in gaps(sections, maturity_range()[1]):
            if row.item.pk in covered:
                continue
            action = Action.objects.create(
                plan=plan,
                title=row.item.text[:300],
                gap_item=row.item,
                owner=user.organisation,
                target_maturity=maturity_range()[1]
                if row.item.kind == Item.Kind.MATURITY
                else None,
            )
            action.items.add(row.item)
            clauses = Clause.objects.filter(pk__in=row.item.clause_ids)
            action.clauses.add(*clauses)
    return plan


@dataclass
class ActionInput:
    title: str
    owner_id: int | None
    description: str = ""
    partners: list[str] = field(default_factory=list)
    starts_on: date | None = None
    ends_on: date | None = None
    budget_line: str = ""
    budget_amount: Decimal | None = None
    currency: str = ""
    target_maturity: int | None = None
    indicators: str = ""
    status: str = Action.Status.PLANNED
    item_keys: list[str] = field(default_factory=list)
    clause_ids: list[str] = field(default_factory=list)
    gap_item_key: str | None = None


def owner_choices(assessment: Assessment) -> list[Organisation]:
    """Organisations of the country, and those without a country (international ones)."""
    return list(
        Organisation.objects.filter(
            Q(country_id=assessment.country_id) | Q(country__isnull=True)
        ).exclude(kind__in=[Organisation.Kind.ITU_BDT, Organisation.Kind.ITU_REGIONAL_OFFICE])
    )


def _checked(assessment: Assessment, data: ActionInput) -> tuple[FieldErrors, dict[str, object]]:
    errors = FieldErrors()
    if not data.title.strip():
        errors.add("title", _("Give the action a title."), "required")
    owner = next((o for o in owner_choices(assessment) if o.pk == data.owner_id), None)
    if owner is None:
        errors.add("owner", _("Choose an organisation of the country as owner."), "required")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        errors.add("ends_on", _("The end is before the start."))
    if data.budget_amount is not None and data.budget_amount < 0:
        errors.add("budget_amount", _("A budget cannot be negative."))
    if data.budget_amount is not None and len(data.currency) != 3:
        errors.add("currency", _("Give the currency as a three-letter code such as USD."))
    low, high = maturity_range()
    if data.target_maturity is not None and not low <= data.target_maturity <= high:
        errors.add(
            "target_maturity",
            _("Choose a maturity phase from %(low)s to %(high)s.") % {"low": low, "high": high},
            "out_of_scale",
        )
    if data.status not in Action.Status.values:
        errors.add("status", _("Choose a status."))
    items = list(Item.objects.filter(framework=assessment.framework, key__in=data.item_keys))
    unknown_items = sorted(set(data.item_keys) - {item.key for item in items})
    for key in unknown_items:
        errors.add("items", _("Unknown question %(key)s.") % {"key": key})
    clauses = list(Clause.objects.filter(pk__in=data.clause_ids))
    for clause in sorted(set(data.clause_ids) - {c.pk for c in clauses}):
        errors.add("clauses", _("Unknown Resolution 67 clause %(clause)s.") % {"clause": clause})
    gap = None
    if data.gap_item_key:
        gap = Item.objects.filter(framework=assessment.framework, key=data.gap_item_key).first()
        if gap is None:
            errors.add("gap", _("Unknown question %(key)s.") % {"key": data.gap_item_key})
    return errors, {"owner": owner, "items": items, "clauses": clauses, "gap": gap}


def _apply(action: Action, data: ActionInput, found: dict[str, object]) -> Action:
    action.title = data.title.strip()[:300]
    action.description = data.description.strip()
    action.owner = found["owner"]  # type: ignore[assignment]
    action.partners = [p.strip()[:200] for p in data.partners if p.strip()]
    action.starts_on = data.starts_on
    action.ends_on = data.ends_on
    action.budget_line = data.budget_line.strip()[:200]
    action.budget_amount = data.budget_amount
    action.currency = data.currency.upper() if data.budget_amount is not None else ""
    action.target_maturity = data.target_maturity
    action.indicators = data.indicators.strip()
    action.status = data.status
    if found["gap"] is not None:
        action.gap_item = found["gap"]  # type: ignore[assignment]
    action.save()
    items = list(found["items"])  # type: ignore[call-overload]
    if action.gap_item is not None and action.gap_item not in items:
        items.append(action.gap_item)
    action.items.set(items)
    action.clauses.set(found["clauses"])  # type: ignore[arg-type]
    return action


@transaction.atomic
def action_create(*, plan: ActionPlan, data: ActionInput) -> Action:
    errors, found = _checked(plan.assessment, data)
    errors.raise_if_any()
    return _apply(Action(plan=plan), data, found)


@transaction.atomic
def action_update(*, action: Action, data: ActionInput) -> Action:
    errors, found = _checked(action.plan.assessment, data)
    errors.raise_if_any()
    return _apply(action, data, found)


@transaction.atomic
def action_progress(
    *, action: Action, user: User, on: date | None, text: str, status: str
) -> ActionUpdate:
    """A dated progress note; it also sets the action's status."""
    errors = FieldErrors()
    if on is None:
        errors.add("on", _("Give the date of the update."), "required")
    elif on > timezone.localdate():
        errors.add("on", _("The date is in the future."))
    if not text.strip():
        errors.add("text", _("Say what progress was made."), "required")
    if status not in Action.Status.values:
        errors.add("status", _("Choose a status."))
    errors.raise_if_any()
    update = ActionUpdate.objects.create(
        action=action, on=cast(date, on), text=text.strip(), status=status, author=user
    )
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    return update


def plan_action(plan: ActionPlan, action_id: int) -> Action:
    action = plan.actions.filter(pk=action_id).select_related("plan__assessment").first()
    if action is None:
        raise ObjectNotFound()
    return action
