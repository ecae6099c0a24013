"""Loading the review workflow, the categories and the scoring rubric from
``data/workflow.json`` (also from the data migration, with historical models)."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.db import transaction

DATA_FILE = Path(__file__).resolve().parent / "data" / "workflow.json"


@transaction.atomic
def workflow_load(get_model: Callable[[str, str], Any] = global_apps.get_model) -> int:
    document = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    state, transition, category, criterion = (
        get_model("practices", name)
        for name in ("ReviewState", "ReviewTransition", "Category", "Criterion")
    )
    for entry in document["states"]:
        state.objects.update_or_create(
            code=entry["code"], defaults={k: v for k, v in entry.items() if k != "code"}
        )
    transition.objects.all().delete()
    for entry in document["transitions"]:
        transition.objects.create(source_id=entry["from"], target_id=entry["to"], actor=entry["by"])
    for entry in document["categories"]:
        category.objects.update_or_create(
            code=entry["code"], defaults={k: v for k, v in entry.items() if k != "code"}
        )
    for entry in document["criteria"]:
        criterion.objects.update_or_create(
            code=entry["code"], defaults={k: v for k, v in entry.items() if k != "code"}
        )
    return len(document["states"])
