"""Loading the taxonomies (audiences, risk topics, licences) and translating them as records:
one tracked item, ``taxonomy``, whose segments are the English names of every term."""

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from .fingerprints import fingerprint_segments
from .record_sources import RecordSource, record_source_register

DATA_DIR = Path(__file__).resolve().parent / "data"
RECORD_KEY = "taxonomy"
RECORD_TITLE = "Taxonomies: audiences, risk topics, licences"
SOURCE_LANGUAGE = "en"
# context prefix -> model name
RECORD_MODELS = {"audience": "Audience", "topic": "RiskTopic", "licence": "Licence"}

GetModel = Callable[[str, str], type[Model]]
# Set while terms are written in bulk, so that the receiver tracking single edits waits for the
# end (one fingerprint, one notice) instead of reacting to every row.
taxonomy_loading: ContextVar[bool] = ContextVar("taxonomy_loading", default=False)


@contextmanager
def _bulk_writes() -> Iterator[None]:
    token = taxonomy_loading.set(True)
    try:
        yield
    finally:
        taxonomy_loading.reset(token)


def _model(get_model: GetModel, name: str) -> Any:
    return get_model("resources", name)


def taxonomy_segments(get_model: GetModel = global_apps.get_model) -> list[tuple[str, str]]:
    """``("topic:contact-grooming", "Grooming and sexual exploitation")``, ... in a stable order."""
    segments = []
    for prefix, name in RECORD_MODELS.items():
        for row in _model(get_model, name).objects.order_by("pk"):
            segments.append((f"{prefix}:{row.pk}", str(row.names.get(SOURCE_LANGUAGE, ""))))
    return segments


def taxonomy_texts(language: str, get_model: GetModel = global_apps.get_model) -> dict[str, str]:
    """The names in ``language`` by segment context (only those that exist)."""
    texts = {}
    for prefix, name in RECORD_MODELS.items():
        for row in _model(get_model, name).objects.order_by("pk"):
            if row.names.get(language):
                texts[f"{prefix}:{row.pk}"] = str(row.names[language])
    return texts


@transaction.atomic
def taxonomy_texts_write(language: str, texts: dict[str, str]) -> None:
    """Write approved names in ``language`` into the records."""
    with _bulk_writes():
        for context, text in texts.items():
            prefix, _sep, code = context.partition(":")
            model = _model(global_apps.get_model, RECORD_MODELS[prefix])
            row = model.objects.get(pk=code)
            row.names = {**row.names, language: text}
            row.save(update_fields=["names"])


@transaction.atomic
def taxonomy_load(get_model: GetModel = global_apps.get_model) -> int:
    """Load ``data/taxonomy.json`` and track it: languages whose names all came with the data
    are approved translations of the English names as loaded. Usable from a data migration
    (pass ``apps.get_model``)."""
    with _bulk_writes():
        document = json.loads((DATA_DIR / "taxonomy.json").read_text(encoding="utf-8"))
        audience, topic, licence = (_model(get_model, name) for name in RECORD_MODELS.values())
        for entry in document["audiences"]:
            audience.objects.update_or_create(
                code=entry["code"],
                defaults={"names": entry["names"], "position": entry["position"]},
            )
        for position, entry in enumerate(document["topics"]):
            topic.objects.update_or_create(
                code=entry["code"],
                defaults={
                    "names": entry["names"],
                    "parent_id": entry["parent"],
                    "position": position,
                },
            )
        for entry in document["licences"]:
            licence.objects.update_or_create(
                code=entry["code"], defaults={"names": entry["names"], "url": entry["url"]}
            )
    segments = taxonomy_segments(get_model)
    fingerprint = fingerprint_segments(segments)
    tracked = _model(get_model, "TrackedItem")
    item = tracked.objects.filter(kind="record", key=RECORD_KEY).first()
    if item is None:
        item = tracked.objects.create(
            kind="record",
            key=RECORD_KEY,
            title=RECORD_TITLE,
            source_language=SOURCE_LANGUAGE,
            source_hash=fingerprint,
            source_changed_at=timezone.now(),
        )
    elif item.source_hash != fingerprint:
        item.source_hash = fingerprint
        item.source_version += 1
        item.source_changed_at = timezone.now()
        item.save()
    translation = _model(get_model, "ItemTranslation")
    contexts = {context for context, _text in segments}
    for language in ("ar", "zh-hans", "fr", "ru", "es"):
        if set(taxonomy_texts(language, get_model)) == contexts:
            translation.objects.update_or_create(
                item=item,
                language=language,
                defaults={
                    "state": "approved",
                    "made_from_hash": fingerprint,
                    "made_from_version": item.source_version,
                    "approved_at": timezone.now(),
                },
            )
    return len(segments)


def taxonomy_source_track() -> Any:
    """After an edit of a term: a changed English name outdates the translations."""
    from .source_tracking import item_source_update

    return item_source_update(
        kind="record",
        key=RECORD_KEY,
        title=RECORD_TITLE,
        source_language=SOURCE_LANGUAGE,
        fingerprint=fingerprint_segments(taxonomy_segments()),
    )


def taxonomy_source_register() -> None:
    """The taxonomies' names as a record of the matrix (registered when the app is ready)."""
    record_source_register(
        RECORD_KEY,
        RecordSource(
            segments=lambda _key: taxonomy_segments(),
            texts=lambda _key, language: taxonomy_texts(language),
            write=lambda _key, language, texts: taxonomy_texts_write(language, texts),
        ),
    )
