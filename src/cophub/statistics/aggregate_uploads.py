"""Uploading a filled-in aggregate template: the request only runs the shared upload check
(type, size, the archive's declared sizes, the sheet's declared rows), stores the file
encrypted and queues its check; the check reads the workbook in the background, like survey
microdata, and either computes the figures or keeps a report of every problem by cell. The
file is erased once checked, whatever the outcome: only the figures or the report remain (a
check that does not finish keeps it, to be retried; see ``checking.py``)."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.accounts.models import User

from . import encryption, engine
from .aggregates import LIMITS, TemplateInvalid, template_read
from .cells import estimates_insert
from .checking import check_fail, check_run, check_schedule, microdata_discard
from .disclosure_audit import cells_audit_protect
from .errors import WrongState
from .events import event_record
from .microdata import dataset_file_store, upload_check
from .models import Dataset, DatasetEvent, Estimate, Microdata


def aggregate_upload(
    *, actor: User, dataset: Dataset, name: str, content: bytes, background: bool = True
) -> Dataset:
    """Store a filled-in template and check it (a background task unless ``background`` is
    false). Refused, with nothing stored, when the file's type, size, packing or declared
    rows are wrong, or when the dataset is not an aggregate draft."""
    if dataset.kind != Dataset.Kind.AGGREGATE:
        raise WrongState(_("An aggregate table can only be uploaded to an aggregate dataset."))
    if dataset.status != Dataset.Status.DRAFT:
        raise WrongState(_("Only a draft can be changed; return it for changes first."))
    extension = upload_check(name=name, content=content, accepted=("xlsx",), table=LIMITS)
    locked = dataset_file_store(
        actor=actor, dataset=dataset, name=name, content=content, extension=extension
    )
    if background:
        check_schedule(locked)
    else:
        aggregate_check(locked.pk, locked.check_generation)
    locked.refresh_from_db()
    return locked


def _with_intervals(cells: list[engine.Cell], method: str) -> list[engine.Cell]:
    out = []
    for cell in cells:
        if cell.se is None or cell.n is None or cell.estimate is None:
            out.append(cell)
            continue
        low, high = engine.submitted_interval(
            cell.estimate, cell.se, cell.n, statistic=cell.statistic, method=method
        )
        out.append(
            engine.Cell(**{**cell.__dict__, "ci_low": low, "ci_high": high, "df": cell.n - 1})
        )
    return out


def _report_problem(problem: dict[str, Any]) -> dict[str, Any]:
    """A template problem in the shape of the check report (column and row of its cell)."""
    cell = str(problem.get("cell") or "")
    column = cell.rstrip("0123456789")
    row = cell[len(column) :]
    return {
        "code": problem["code"],
        "severity": "error",
        "variable": problem.get("indicator") or "",
        "column": column,
        "value": None,
        "count": 1 if row else 0,
        "rows": [int(row)] if row else [],
        "detail": "",
        "params": problem.get("params") or {},
    }


def _store_figures(dataset: Dataset, cells: list[engine.Cell]) -> dict[str, Any]:
    disclosed = cells_audit_protect(
        engine.cells_disclose(_with_intervals(cells, dataset.ci), dataset.disclosure)
    )
    dataset.estimates.all().delete()
    surveyed = [cell for cell in disclosed if cell.n is not None]
    estimates_insert(dataset, surveyed, Estimate.Method.AGGREGATE)
    national = [cell for cell in disclosed if cell.n is None]
    estimates_insert(dataset, national, Estimate.Method.ADMINISTRATIVE)
    return {
        "rows": len(cells),
        "cells": len(disclosed),
        "suppressed": sum(1 for c in disclosed if c.suppressed),
    }


def aggregate_check(dataset_id: int, generation: int) -> str:
    """Read the dataset's stored template and replace its figures (all or nothing); returns
    the check status (``stale`` when a newer upload came in)."""
    return check_run(dataset_id, generation, _template_check)


def _template_check(dataset: Dataset, stored: Microdata) -> str:
    try:
        content = encryption.microdata_read(stored.storage_name)
        cells = template_read(content, country=dataset.country_id, year=dataset.year)
        with transaction.atomic():  # a savepoint: a failed computation writes nothing
            report = _store_figures(dataset, cells)
    except TemplateInvalid as invalid:
        problems = [_report_problem(problem) for problem in invalid.problems]
        check_fail(dataset, {"problems": problems}, stored)
        return dataset.check_status
    except encryption.InvalidToken:
        check_fail(dataset, {"error": {"code": "microdata_key_mismatch", "params": {}}}, stored)
        return dataset.check_status
    microdata_discard(stored)  # the figures are what is kept of a template
    dataset.check_status = Dataset.Check.PASSED
    dataset.check_report = report
    dataset.checked_at = timezone.now()
    dataset.save()
    event_record(dataset=dataset, action=DatasetEvent.Action.CHECK_PASSED, actor=None)
    return dataset.check_status
