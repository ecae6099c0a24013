"""Publication: an approved and reviewed dataset becomes a release, and its disclosure-
controlled estimates become public observations; withdrawing a release keeps it (and them)
for the history. Microdata are erased at publication unless the owner chose to keep them."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cophub.accounts.models import User
from cophub.portal.errors import InvalidInput

from . import engine
from .cells import observations_copy
from .contact_counts import contact_equations
from .disclosure_audit import cells_audit
from .errors import WrongState
from .events import event_record
from .microdata import microdata_delete
from .models import Dataset, DatasetEvent, Observation, Release

KIND_LETTERS = {Dataset.Kind.SURVEY: "S", Dataset.Kind.AGGREGATE: "A", Dataset.Kind.HELPLINE: "H"}


def _release_code(dataset: Dataset) -> str:
    prefix = f"{dataset.country_id}-{dataset.year}-{KIND_LETTERS[Dataset.Kind(dataset.kind)]}"
    taken = Release.objects.filter(code__startswith=prefix).count()
    return f"{prefix}{taken + 1:02d}"


def _method_note(dataset: Dataset) -> str:
    if dataset.disclosure == Dataset.Disclosure.DP:
        return f"dp:epsilon={dataset.dp_epsilon:g}"
    return f"disclosure:{dataset.disclosure};ci:{dataset.ci}"


def publication_audit(dataset: Dataset) -> None:
    """The suppression audit of the table about to be published (:func:`cells_audit`):
    :class:`WrongState` naming the first cells whose n can be worked out from the published
    cells. The check already suppressed enough cells for the audit to pass, so this refuses
    only a table that changed since, or was never audited; the approved figures are never
    changed at publication."""
    fields = ("indicator", "measure", "statistic", "breakdown", "breakdown_value")
    cells = [
        engine.Cell(
            **dict(zip(fields, row[:5], strict=True)),
            estimate=row[5],
            n=row[6],
            suppressed=row[7],
            flag=row[8],
            computed=bool(row[9]),
        )
        for row in dataset.estimates.values_list(
            *fields, "estimate", "n", "suppressed", "flag", "method"
        )
    ]
    failures = cells_audit(cells, equations=contact_equations(cells))
    if not failures:
        return
    named = ", ".join(
        f"{f.indicator}{f'/{f.measure}' if f.measure else ''} {f.breakdown}={f.breakdown_value}"
        for f in failures[:3]
    )
    raise WrongState(
        ngettext(
            "Publication refused: the suppression audit finds %(count)s suppressed cell whose "
            "n can be worked out from the published cells (%(cells)s). Return the dataset for "
            "changes and check it again.",
            "Publication refused: the suppression audit finds %(count)s suppressed cells whose "
            "n can be worked out from the published cells (first: %(cells)s). Return the "
            "dataset for changes and check it again.",
            len(failures),
        )
        % {"count": len(failures), "cells": named},
        details={"audit": [f.__dict__ for f in failures[:20]]},
    )


@transaction.atomic
def dataset_publish(*, actor: User, dataset: Dataset) -> Release:
    """Publish an approved, reviewed dataset; a release it replaces is withdrawn."""
    locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if locked.status != Dataset.Status.APPROVED:
        raise WrongState(_("Only an approved dataset can be published."))
    if locked.reviewed_at is None:
        raise WrongState(_("BDT staff must review the dataset before it is published."))
    publication_audit(locked)
    now = timezone.now()
    release = Release.objects.create(
        dataset=locked,
        code=_release_code(locked),
        country_id=locked.country_id,
        year=locked.year,
        kind=locked.kind,
        source=locked.source or locked.title,
        method_note=_method_note(locked),
        variance=(locked.check_report or {}).get("variance") or {},
        synthetic=locked.synthetic,
        published_at=now,
        published_by=actor,
    )
    observations_copy(release, locked)
    locked.status = Dataset.Status.PUBLISHED
    locked.save()
    event_record(
        dataset=locked, action=DatasetEvent.Action.PUBLISHED, actor=actor, comment=release.code
    )
    if locked.replaces_id is not None:
        replaced = Release.objects.select_for_update().get(pk=locked.replaces_id)
        if replaced.withdrawn_at is None:
            _withdraw(
                replaced,
                actor=actor,
                reason=_("Replaced by %(release)s.") % {"release": release.code},
                replaced_by=release,
            )
    if not locked.keep_microdata:
        microdata_delete(dataset=locked, actor=None)
    return release


def _withdraw(
    release: Release, *, actor: User, reason: str, replaced_by: Release | None = None
) -> Release:
    release.withdrawn_at = timezone.now()
    release.withdrawn_by = actor
    release.withdrawal_reason = reason
    release.replaced_by = replaced_by
    release.save()
    Observation.objects.filter(release=release).update(current=False)
    dataset = Dataset.objects.select_for_update().get(pk=release.dataset_id)
    dataset.status = Dataset.Status.WITHDRAWN
    dataset.save()
    event_record(dataset=dataset, action=DatasetEvent.Action.WITHDRAWN, actor=actor, comment=reason)
    return release


@transaction.atomic
def release_withdraw(*, actor: User, release: Release, reason: str) -> Release:
    """Take a release out of the current figures; it stays listed, marked withdrawn."""
    if not reason.strip():
        message = _("Say why the release is withdrawn.")
        raise InvalidInput(message, details={"errors": [{"field": "reason", "message": message}]})
    locked = Release.objects.select_for_update().get(pk=release.pk)
    if locked.withdrawn_at is not None:
        raise WrongState(_("This release has already been withdrawn."))
    return _withdraw(locked, actor=actor, reason=reason.strip())
