"""What ``cophub setup`` runs: the migrations, then every app's setup steps in app order.

An app that ships data the platform cannot serve without declares it in its own
``setup_steps.py`` as ``SETUP_STEPS = (SetupStep(...), ...)``; nothing here names the apps.
Each step's loader must be idempotent. What a step changed is measured, not reported by the
loader: the rows of the models the step declares (and their many-to-many tables) are read
before and after it runs, so a rerun on an up-to-date database reports 0 and the loaders stay
free to write as they like."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Model
from django.utils.functional import Promise

STEPS_MODULE = "setup_steps"
Snapshot = dict[str, dict[Any, tuple[Any, ...]]]


@dataclass(frozen=True)
class SetupStep:
    key: str
    # Operator-facing name in the summary line (translated).
    label: str | Promise
    run: Callable[[], object]
    # "app_label.ModelName" of every model the step writes.
    models: tuple[str, ...]


@dataclass(frozen=True)
class StepResult:
    key: str
    label: str
    created: int
    updated: int
    deleted: int

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


def setup_steps() -> list[SetupStep]:
    """Every app's ``SETUP_STEPS``, in the order of ``INSTALLED_APPS``."""
    steps: list[SetupStep] = []
    for config in apps.get_app_configs():
        name = f"{config.name}.{STEPS_MODULE}"
        if find_spec(name) is None:
            continue
        steps.extend(import_module(name).SETUP_STEPS)
    return steps


def migrations_pending(database: str = DEFAULT_DB_ALIAS) -> int:
    """How many migrations ``migrate`` would apply now."""
    executor = MigrationExecutor(connections[database])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _tables(models: Iterable[str]) -> list[type[Model]]:
    """The models and the auto-created tables of their many-to-many fields."""
    tables: list[type[Model]] = []
    for label in models:
        model = apps.get_model(label)
        tables.append(model)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                tables.append(through)
    return tables


def _snapshot(tables: list[type[Model]]) -> Snapshot:
    snapshot: Snapshot = {}
    for model in tables:
        columns = [field.attname for field in model._meta.concrete_fields]
        rows = model._base_manager.values_list("pk", *columns)
        snapshot[model._meta.label] = {row[0]: tuple(row[1:]) for row in rows}
    return snapshot


def _counted(before: Snapshot, after: Snapshot) -> tuple[int, int, int]:
    created = updated = deleted = 0
    for table, old in before.items():
        new = after[table]
        created += len(new.keys() - old.keys())
        deleted += len(old.keys() - new.keys())
        updated += sum(1 for pk in old.keys() & new.keys() if old[pk] != new[pk])
    return created, updated, deleted


def step_run(step: SetupStep) -> StepResult:
    """Run one step in one transaction and count the rows it created, changed and removed."""
    tables = _tables(step.models)
    with transaction.atomic():
        before = _snapshot(tables)
        step.run()
        after = _snapshot(tables)
    created, updated, deleted = _counted(before, after)
    return StepResult(
        key=step.key, label=str(step.label), created=created, updated=updated, deleted=deleted
    )
