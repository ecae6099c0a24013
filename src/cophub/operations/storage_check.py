"""Files and rows never disagree: ``cophub check_storage`` lists the files of the default
storage that no row names, and the rows whose file is gone, and with ``--repair`` fixes them
by rule.

- A file without a row is deleted when it is older than the grace period (an hour): a younger
  one may be an upload whose row is not committed yet, so it is only listed.
- A row without a file is handed to its app's repair, which puts the object in a visible failed
  or missing state (a statistics dataset: "the stored file is missing; upload it again"); a
  row whose app has no such state is listed for a person to decide.

The rows are every model ``FileField`` (uploads of coordination, strategies, practices, Wagtail
documents and images) and what apps declare (``cophub.portal.stored_files``)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.db import models
from django.utils import timezone

from cophub.portal.stored_files import FileOwner, Repair

from .backup_files import storage_file_names

GRACE = timedelta(hours=1)
MODULE = "stored_files"


@dataclass(frozen=True)
class MissingFile:
    label: str
    pk: Any
    name: str
    repaired: bool = False


@dataclass(frozen=True)
class OrphanFile:
    name: str
    modified: datetime
    recent: bool
    deleted: bool = False


@dataclass
class StorageReport:
    files: int = 0
    rows: int = 0
    orphans: list[OrphanFile] = field(default_factory=list)
    missing: list[MissingFile] = field(default_factory=list)

    @property
    def problems(self) -> int:
        """What is still wrong: old orphan files not deleted, rows without a file not
        repaired (recent orphans are uploads in progress, not problems yet)."""
        return sum(1 for o in self.orphans if not o.recent and not o.deleted) + sum(
            1 for m in self.missing if not m.repaired
        )


def _field_rows(model: type[models.Model], name: str) -> Iterable[tuple[Any, str]]:
    rows = model._base_manager.exclude(**{name: ""}).exclude(**{f"{name}__isnull": True})
    return rows.values_list("pk", name).iterator()


def file_owners() -> list[FileOwner]:
    """Every model ``FileField`` and every app's ``STORED_FILES``, with the repairs the apps
    declared."""
    repairs: dict[str, Repair] = {}
    owners: list[FileOwner] = []
    for config in apps.get_app_configs():
        name = f"{config.name}.{MODULE}"
        if not config.name.startswith("cophub.") or find_spec(name) is None:
            continue
        module = import_module(name)
        owners.extend(getattr(module, "STORED_FILES", ()))
        repairs.update(getattr(module, "MISSING_FILE_REPAIRS", {}))
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                label = f"{model._meta.label_lower}.{model_field.name}"
                rows = partial(_field_rows, model, model_field.attname)
                owners.append(FileOwner(label=label, rows=rows, repair=repairs.get(label)))
    return owners


def _modified(storage: Storage, name: str) -> datetime:
    try:
        return storage.get_modified_time(name)
    except (NotImplementedError, OSError):
        return timezone.now()  # unknown: treated as recent, never deleted


def storage_check(*, repair: bool = False, now: datetime | None = None) -> StorageReport:
    """Compare the default storage with the rows naming files; with ``repair``, fix by rule."""
    now = now or timezone.now()
    storage = default_storage
    report = StorageReport()
    named: set[str] = set()
    for owner in file_owners():
        for pk, name in owner.rows():
            report.rows += 1
            named.add(name)
            if storage.exists(name):
                continue
            repaired = bool(repair and owner.repair is not None and owner.repair(pk))
            report.missing.append(MissingFile(owner.label, pk, name, repaired))
    names = storage_file_names(storage)
    report.files = len(names)
    for name in names:
        if name in named:
            continue
        modified = _modified(storage, name)
        recent = now - modified < GRACE
        deleted = False
        if repair and not recent:
            storage.delete(name)
            deleted = True
        report.orphans.append(OrphanFile(name, modified, recent, deleted))
    return report
