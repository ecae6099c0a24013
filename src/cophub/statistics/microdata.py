"""Survey microdata: upload (refused before anything is stored when the type or size is wrong),
encrypted storage, and the background check that validates the file against its mapping and
computes every indicator × breakdown with disclosure control (or differential privacy).

A check that fails keeps nothing of the file: the encrypted microdata are erased and only the
report remains (variables, columns, codes and row numbers, never a respondent's answers). A
check that does not finish changes nothing and can be retried (see ``checking.py``)."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.accounts.models import User
from cophub.portal.errors import InvalidInput
from cophub.portal.uploads import (
    TableLimits,
    UploadProblem,
    file_type,
    table_limits,
    table_size_problem,
    too_large_problem,
    upload_problem,
)

from . import designs, encryption, engine
from .cells import estimates_insert
from .checking import check_fail, check_run, check_schedule, microdata_discard
from .disclosure_audit import AUDIT_FLAG, cells_audit_protect
from .errors import UploadRejected, WrongState
from .events import event_record
from .mappings import document_for_dataset
from .models import Dataset, DatasetEvent, Estimate, LedgerEntry, Microdata

SURVEY_TYPES = ("csv", "xlsx", "parquet", "sav", "dta")
DEFAULT_UPLOAD_LIMIT_MB = 50


def upload_limit_bytes() -> int:
    """``settings.COPHUB_STATISTICS_UPLOAD_LIMIT_MB`` (default 50 MB)."""
    megabytes = getattr(settings, "COPHUB_STATISTICS_UPLOAD_LIMIT_MB", DEFAULT_UPLOAD_LIMIT_MB)
    return int(float(megabytes) * 1024 * 1024)


def _rejected(problem: UploadProblem) -> UploadRejected:
    return UploadRejected(
        problem.message, details={"errors": [{"field": "file", "message": problem.message}]}
    )


def upload_check(
    *, name: str, content: bytes, accepted: tuple[str, ...], table: TableLimits | None
) -> str:
    """The file's extension with its dot (``.pq`` read as ``.parquet``), or
    :class:`UploadRejected` naming the ``file`` field: the shared check, with the rows and
    columns of ``table`` when the file is a table."""
    problem = upload_problem(
        name=name,
        size=len(content),
        content=content,
        accepted=accepted,
        max_bytes=upload_limit_bytes(),
        table=table,
    )
    if problem is not None:
        raise _rejected(problem)
    return "." + file_type(name)


def microdata_upload(
    *,
    actor: User,
    dataset: Dataset,
    name: str,
    content: bytes,
    design: Mapping[str, Any] | None = None,
    mapping: dict[str, Any] | None = None,
    background: bool = True,
) -> Dataset:
    """Store a survey file encrypted and check it (a background task unless ``background`` is
    false). ``design`` holds the design step's fields (:mod:`.designs`); when it names a
    design, that design replaces the mapping's. Refused, with nothing stored, when the file's
    type or size is wrong, when the design is not valid, when there is no mapping, or when the
    dataset is not a survey draft."""
    if dataset.kind != Dataset.Kind.SURVEY:
        raise WrongState(_("Microdata can only be uploaded to a survey dataset."))
    if dataset.status != Dataset.Status.DRAFT:
        raise WrongState(_("Only a draft can be changed; return it for changes first."))
    extension = upload_check(
        name=name, content=content, accepted=SURVEY_TYPES, table=table_limits()
    )
    block = designs.design_parse(design) if design and designs.design_given(design) else None
    document = mapping if mapping is not None else dataset.mapping
    if document is None:
        message = _("Save a variable mapping first, or upload a mapping file with the data.")
        raise InvalidInput(message, details={"errors": [{"field": "mapping", "message": message}]})
    checked = document_for_dataset(
        dict(document), country=dataset.country_id, year=dataset.year, design=block
    )
    locked = dataset_file_store(
        actor=actor,
        dataset=dataset,
        name=name,
        content=content,
        extension=extension,
        mapping=checked,
    )
    if background:
        check_schedule(locked)
    else:
        dataset_check(locked.pk, locked.check_generation)
    locked.refresh_from_db()
    return locked


def dataset_file_store(
    *,
    actor: User,
    dataset: Dataset,
    name: str,
    content: bytes,
    extension: str,
    mapping: dict[str, Any] | None = None,
) -> Dataset:
    """Store the dataset's uploaded file encrypted (replacing an earlier one) and mark the
    dataset as waiting for its check, its report and estimates cleared; ``mapping`` (survey
    microdata) is saved with it. The file never stays behind when this fails."""
    storage_name = encryption.microdata_store(content)
    try:
        with transaction.atomic():
            locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
            previous = Microdata.objects.filter(dataset=locked).first()
            if previous is not None:
                microdata_discard(previous)
            Microdata.objects.create(
                dataset=locked,
                storage_name=storage_name,
                original_name=name[:200],
                extension=extension,
                size=len(content),
                uploaded_by=actor,
            )
            if mapping is not None:
                locked.mapping = mapping
            locked.check_status = Dataset.Check.PENDING
            locked.check_generation += 1
            locked.check_report = {}
            locked.estimates.all().delete()
            locked.save()
            event_record(
                dataset=locked, action=DatasetEvent.Action.UPLOADED, actor=actor, comment=name
            )
    except BaseException:
        encryption.microdata_erase(storage_name)
        raise
    return locked


def _problem_data(problem: Any) -> dict[str, Any]:
    return {
        "code": problem.code,
        "severity": problem.severity,
        "variable": problem.variable,
        "column": problem.column,
        "value": problem.value,
        "count": problem.count,
        "rows": list(problem.rows),
        "detail": problem.detail,
        "params": {key: value for key, value in problem.params},
    }


def _report(validation: Any) -> dict[str, Any]:
    return {
        "rows": validation.n_rows,
        "problems": [_problem_data(p) for p in validation.problems],
        "not_computable": [
            {"indicator": indicator, "variables": list(variables)}
            for indicator, variables in validation.not_computable
        ],
        "missing": dict(validation.missing_counts),
    }


def _compute(dataset: Dataset, table: Any, mapping: engine.SurveyMapping) -> dict[str, Any]:
    """Estimates (replacing any earlier ones) and what the report adds about them."""
    if dataset.disclosure == Dataset.Disclosure.DP:
        private = engine.survey_tabulate_private(
            table,
            mapping,
            epsilon=float(dataset.dp_epsilon or 0),
            weight_cap=float(dataset.dp_weight_cap or 0),
        )
        now = timezone.now()
        entries = list(dataset.ledger.values())
        description = _("Preview of tier-1 proportions")
        spent = engine.ledger_charge_release(
            entries,
            dataset_key=f"dataset-{dataset.pk}",
            budget=float(dataset.dp_budget or 0),
            calibration=private.calibration,
            now=now,
            description=description,
        )
        LedgerEntry.objects.create(
            dataset=dataset,
            at=now,
            epsilon=private.calibration.epsilon,
            mechanism=private.calibration.mechanism,
            weight_cap=private.calibration.weight_cap,
            queries=private.calibration.queries,
            sampler=private.sampler,
            description=description,
        )
        event_record(
            dataset=dataset,
            action=DatasetEvent.Action.PRIVACY_SPENT,
            actor=None,
            comment=f"ε={private.calibration.epsilon:g}",
        )
        estimates_insert(dataset, private.cells, Estimate.Method.PRIVATE)
        return {"dp": {"epsilon": private.calibration.epsilon, "spent": spent}}
    tabulated = engine.survey_tabulate(table, mapping, disclosure=dataset.disclosure, ci=dataset.ci)
    cells = cells_audit_protect(tabulated.cells)
    estimates_insert(dataset, cells, Estimate.Method.DESIGN)
    return {
        "cells": sum(1 for c in cells if c.computed),
        "suppressed": sum(1 for c in cells if c.suppressed),
        "audit_suppressed": sum(1 for c in cells if c.flag == AUDIT_FLAG),
        "variance": tabulated.variance,
    }


def _shape_problem(table: Any) -> UploadProblem | None:
    """The table's rows and columns, as read, against the limits the upload was held to."""
    rows = len(next(iter(table.values()))) if table else 0
    return table_size_problem(rows=rows, columns=len(table), limits=table_limits())


def dataset_check(dataset_id: int, generation: int) -> str:
    """Validate the dataset's microdata against its mapping and compute its estimates.

    Returns the check status. A newer upload or mapping (``generation``) makes this run a no-op.
    """
    return check_run(dataset_id, generation, _survey_check)


def _survey_check(dataset: Dataset, microdata: Microdata) -> str:
    if dataset.mapping is None:
        return "stale"
    try:
        mapping = engine.mapping_from_document(dataset.mapping)
        with encryption.microdata_plain_file(microdata.storage_name, microdata.extension) as path:
            table = engine.survey_read(path)
        too_big = _shape_problem(table)
        if too_big is not None:  # a file that did not state its size in full
            error = {"code": too_big.code, "params": dict(too_big.params)}
            check_fail(dataset, {"error": error}, microdata)
            return dataset.check_status
        validation = engine.survey_validate(table, mapping)
        report = _report(validation)
        if not validation.ok:
            check_fail(dataset, report, microdata)
            return dataset.check_status
        with transaction.atomic():  # a savepoint: a failed computation writes nothing
            report.update(_compute(dataset, table, mapping))
    except engine.StatsError as error:
        params = dict(error.params)
        if "path" in params:  # the private temporary copy: name the user's file instead
            params["path"] = microdata.original_name
        check_fail(dataset, {"error": {"code": error.code, "params": params}}, microdata)
        return dataset.check_status
    except encryption.InvalidToken:
        check_fail(dataset, {"error": {"code": "microdata_key_mismatch", "params": {}}}, microdata)
        return dataset.check_status
    dataset.check_status = Dataset.Check.PASSED
    dataset.check_report = report
    dataset.checked_at = timezone.now()
    dataset.save()
    event_record(dataset=dataset, action=DatasetEvent.Action.CHECK_PASSED, actor=None)
    return dataset.check_status


def microdata_delete(*, dataset: Dataset, actor: User | None) -> bool:
    """Erase the dataset's microdata (after publication, or when the owner asks)."""
    with transaction.atomic():
        microdata = Microdata.objects.filter(dataset=dataset).first()
        if microdata is None:
            return False
        microdata_discard(microdata)
        event_record(dataset=dataset, action=DatasetEvent.Action.MICRODATA_DELETED, actor=actor)
    return True


def uploaded_bytes(upload: Any) -> bytes:
    """The content of an uploaded file, refused (before reading it) when it is too large."""
    size = int(getattr(upload, "size", 0) or 0)
    problem = too_large_problem(size=size, max_bytes=upload_limit_bytes())
    if problem is not None:
        raise _rejected(problem)
    content: bytes = upload.read()
    return content
