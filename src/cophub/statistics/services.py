"""Writes for datasets: opening one, naming statistics-office users, the variable mapping, and
the workflow draft → submitted → approved (focal point) + reviewed (BDT staff) → published.

Every function takes objects the caller fetched through ``access.py`` and records a
:class:`DatasetEvent`; a step that is not possible in the dataset's state raises
:class:`WrongState` and changes nothing. Uploads are in ``microdata.py``, ``aggregates.py``
and ``contact_counts.py``; publication and withdrawal in ``publishing.py``."""

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.accounts.models import User
from cophub.portal.errors import InvalidInput
from cophub.reference.models import Country

from . import engine
from .errors import WrongState
from .events import event_record
from .mappings import document_for_dataset
from .models import Dataset, DatasetEvent, DatasetGrant, Release

if TYPE_CHECKING:  # a type only (decision 0025: no app imports another app's models)
    from cophub.helplines.models import Helpline

YEAR_MIN = 1990


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, details={"errors": [{"field": field, "message": message}]})


def _year_check(year: int) -> None:
    latest = timezone.now().year + 1
    if not YEAR_MIN <= year <= latest:
        raise _invalid(
            "year",
            _("The year must be between %(first)s and %(last)s.")
            % {"first": YEAR_MIN, "last": latest},
        )


def _privacy_check(
    *, kind: str, disclosure: str, epsilon: float | None, cap: float | None, budget: float | None
) -> None:
    if disclosure != Dataset.Disclosure.DP:
        return
    if kind != Dataset.Kind.SURVEY:
        raise _invalid("disclosure", _("Differential privacy applies to survey microdata only."))
    for field, value in (("dp_epsilon", epsilon), ("dp_weight_cap", cap), ("dp_budget", budget)):
        if value is None or not value > 0:
            raise _invalid(field, _("Give a number greater than zero."))
    if budget is not None and epsilon is not None and epsilon > budget:
        raise _invalid("dp_budget", _("The budget must be at least the ε of one release."))


def _replaced_check(replaces: Release | None, *, country: Country, kind: str) -> None:
    if replaces is None:
        return
    if replaces.country_id != country.iso2 or replaces.kind != kind:
        raise _invalid(
            "replaces",
            _("A release can only be replaced by a dataset of the same country and kind."),
        )
    if replaces.withdrawn_at is not None:
        raise _invalid("replaces", _("This release has already been withdrawn."))


@transaction.atomic
def dataset_create(
    *,
    actor: User,
    kind: str,
    country: Country,
    year: int,
    title: str,
    source: str = "",
    disclosure: str = Dataset.Disclosure.DHS,
    ci: str = Dataset.Ci.LOGIT,
    helpline: "Helpline | None" = None,
    dp_epsilon: float | None = None,
    dp_weight_cap: float | None = None,
    dp_budget: float | None = None,
    keep_microdata: bool = False,
    replaces: Release | None = None,
    synthetic: bool = False,
) -> Dataset:
    """Open a draft. ``country`` (or ``helpline``) must come from an access check."""
    if kind not in Dataset.Kind.values:
        raise _invalid("kind", _("Unknown kind of dataset."))
    if disclosure not in Dataset.Disclosure.values:
        raise _invalid("disclosure", _("Unknown disclosure rule."))
    if ci not in Dataset.Ci.values:
        raise _invalid("ci", _("Unknown kind of confidence interval."))
    if not title.strip():
        raise _invalid("title", _("Give the dataset a title."))
    _year_check(year)
    _privacy_check(
        kind=kind, disclosure=disclosure, epsilon=dp_epsilon, cap=dp_weight_cap, budget=dp_budget
    )
    organisation = actor.organisation
    if kind == Dataset.Kind.HELPLINE:
        if helpline is None:
            raise _invalid("helpline", _("Choose the helpline whose contacts are reported."))
        country = helpline.country
        organisation = helpline.organisation
    _replaced_check(replaces, country=country, kind=kind)
    dataset = Dataset.objects.create(
        kind=kind,
        country=country,
        year=year,
        title=title.strip(),
        source=source.strip(),
        organisation=organisation,
        helpline=helpline if kind == Dataset.Kind.HELPLINE else None,
        created_by=actor,
        disclosure=disclosure,
        ci=ci,
        dp_epsilon=dp_epsilon if disclosure == Dataset.Disclosure.DP else None,
        dp_weight_cap=dp_weight_cap if disclosure == Dataset.Disclosure.DP else None,
        dp_budget=dp_budget if disclosure == Dataset.Disclosure.DP else None,
        keep_microdata=keep_microdata,
        replaces=replaces,
        synthetic=synthetic,
        framework_version=engine.framework().version,
    )
    event_record(dataset=dataset, action=DatasetEvent.Action.CREATED, actor=actor)
    return dataset


def _draft_only(dataset: Dataset) -> None:
    if dataset.status != Dataset.Status.DRAFT:
        raise WrongState(_("Only a draft can be changed; return it for changes first."))


@transaction.atomic
def dataset_grant(*, actor: User, dataset: Dataset, username: str) -> DatasetGrant:
    """Name a statistics-office user on the dataset (any signed-up user; the grant is the
    only thing that lets them see it)."""
    grantee = User.objects.filter(username=username.strip(), is_active=True).first()
    if grantee is None:
        raise _invalid(
            "username", _("There is no active user %(username)s.") % {"username": username}
        )
    grant, created = DatasetGrant.objects.get_or_create(
        dataset=dataset, user=grantee, defaults={"granted_by": actor}
    )
    if created:
        event_record(
            dataset=dataset,
            action=DatasetEvent.Action.GRANTED,
            actor=actor,
            comment=grantee.username,
        )
    return grant


@transaction.atomic
def dataset_grant_revoke(*, actor: User, dataset: Dataset, username: str) -> None:
    deleted, _rows = DatasetGrant.objects.filter(dataset=dataset, user__username=username).delete()
    if deleted:
        event_record(
            dataset=dataset, action=DatasetEvent.Action.GRANT_REVOKED, actor=actor, comment=username
        )


def dataset_mapping_set(*, actor: User, dataset: Dataset, document: dict[str, Any]) -> Dataset:
    """Save the variable mapping (checked by the engine first); with microdata already
    uploaded, the check runs again in the background."""
    from .checking import check_schedule

    if dataset.kind != Dataset.Kind.SURVEY:
        raise WrongState(_("Only survey microdata have a variable mapping."))
    _draft_only(dataset)
    checked = document_for_dataset(document, country=dataset.country_id, year=dataset.year)
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        _draft_only(locked)
        locked.mapping = checked
        recheck = hasattr(locked, "microdata")
        if recheck:
            locked.check_status = Dataset.Check.PENDING
            locked.check_generation += 1
            locked.estimates.all().delete()
        locked.save()
        event_record(dataset=locked, action=DatasetEvent.Action.MAPPING_SET, actor=actor)
    if recheck:
        check_schedule(locked)
    return locked


def _transition(dataset: Dataset, *, allowed: tuple[str, ...], message: str) -> Dataset:
    locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if locked.status not in allowed:
        raise WrongState(message)
    return locked


@transaction.atomic
def dataset_submit(*, actor: User, dataset: Dataset) -> Dataset:
    locked = _transition(
        dataset, allowed=(Dataset.Status.DRAFT,), message=_("Only a draft can be submitted.")
    )
    if locked.check_status != Dataset.Check.PASSED or not locked.estimates.exists():
        raise WrongState(_("Upload data that pass the check before submitting."))
    locked.status = Dataset.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save()
    event_record(dataset=locked, action=DatasetEvent.Action.SUBMITTED, actor=actor)
    return locked


@transaction.atomic
def dataset_approve(*, actor: User, dataset: Dataset, comment: str = "") -> Dataset:
    locked = _transition(
        dataset,
        allowed=(Dataset.Status.SUBMITTED,),
        message=_("Only a submitted dataset can be approved."),
    )
    locked.status = Dataset.Status.APPROVED
    locked.approved_by = actor
    locked.approved_at = timezone.now()
    locked.save()
    event_record(dataset=locked, action=DatasetEvent.Action.APPROVED, actor=actor, comment=comment)
    return locked


@transaction.atomic
def dataset_review(*, actor: User, dataset: Dataset, comment: str = "") -> Dataset:
    locked = _transition(
        dataset,
        allowed=(Dataset.Status.SUBMITTED, Dataset.Status.APPROVED),
        message=_("Only a submitted or approved dataset can be reviewed."),
    )
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.save()
    event_record(dataset=locked, action=DatasetEvent.Action.REVIEWED, actor=actor, comment=comment)
    return locked


@transaction.atomic
def dataset_return(*, actor: User, dataset: Dataset, comment: str) -> Dataset:
    """Back to draft with a note saying what to change; approval and review start again."""
    if not comment.strip():
        raise _invalid("comment", _("Say what should be changed."))
    locked = _transition(
        dataset,
        allowed=(Dataset.Status.SUBMITTED, Dataset.Status.APPROVED),
        message=_("Only a submitted or approved dataset can be returned."),
    )
    locked.status = Dataset.Status.DRAFT
    locked.approved_by = locked.reviewed_by = None
    locked.approved_at = locked.reviewed_at = locked.submitted_at = None
    locked.save()
    event_record(
        dataset=locked, action=DatasetEvent.Action.RETURNED, actor=actor, comment=comment.strip()
    )
    return locked
