"""Frameworks, the crosswalk and the maturity scale as data: formats
``cophub.strategies.framework/1``, ``cophub.strategies.crosswalk/1`` and
``cophub.strategies.maturity/1`` (JSON Schemas in ``data/schema/``). Every check reports every
error by JSON path (CSV files: by row and column); loading is all or nothing."""

import csv
import io
import json
import re
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from django.db import transaction
from django.utils.translation import gettext as _

from copcore.stats.framework import framework_default
from cophub.portal.errors import InvalidInput
from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.reference.models import Clause

from .models import Answer, CrosswalkLink, Framework, Item, MaturityPhase, Section

DATA_DIR = Path(__file__).resolve().parent / "data"
SCHEMA_DIR = DATA_DIR / "schema"
FRAMEWORK_FORMAT = "cophub.strategies.framework/1"
CROSSWALK_FORMAT = "cophub.strategies.crosswalk/1"
MATURITY_FORMAT = "cophub.strategies.maturity/1"
BUNDLED_FRAMEWORKS = (
    "framework-itu-areas.json",
    "framework-weprotect-mnr.json",
    "framework-itu-d-sg2-q3-2.json",
)
NUMERIC_ONLY = ("minimum", "maximum", "integer", "unit")


@cache
def _schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return schema


def _error(path: str, message: str, code: str = "invalid") -> dict[str, str]:
    return {"field": path, "code": code, "message": message}


def _schema_errors(document: Any, schema_name: str) -> list[dict[str, str]]:
    validator = jsonschema.Draft202012Validator(_schema(schema_name))
    return [
        _error(error.json_path, error.message, "schema")
        for error in sorted(validator.iter_errors(document), key=lambda e: e.json_path)
    ]


def _reject(errors: list[dict[str, str]], message: str) -> None:
    if errors:
        raise InvalidInput(message, details={"errors": errors})


@cache
def _indicator_ids() -> frozenset[str]:
    framework = framework_default()
    return frozenset(f"{framework.id}/{indicator.id}" for indicator in framework.indicators)


def framework_validate(document: Any) -> None:
    """Raise ``InvalidInput`` listing every problem of a framework document by JSON path."""
    errors = _schema_errors(document, "framework.schema.json")
    _reject(errors, _("The framework file is not valid."))
    clauses = set(Clause.objects.values_list("id", flat=True))
    section_keys: set[str] = set()
    item_keys: set[str] = set()
    for s, section in enumerate(document["sections"]):
        if section["key"] in section_keys:
            errors.append(
                _error(
                    f"$.sections[{s}].key",
                    _("The key %(key)s is used twice.") % {"key": section["key"]},
                )
            )
        section_keys.add(section["key"])
        for i, item in enumerate(section["items"]):
            errors.extend(_item_errors(item, f"$.sections[{s}].items[{i}]", item_keys, clauses))
    _reject(errors, _("The framework file is not valid."))


def _item_errors(
    item: dict[str, Any], path: str, seen: set[str], clauses: set[str]
) -> Iterable[dict[str, str]]:
    if item["key"] in seen:
        yield _error(f"{path}.key", _("The key %(key)s is used twice.") % {"key": item["key"]})
    seen.add(item["key"])
    for index, clause in enumerate(item.get("clauses", [])):
        if clause not in clauses:
            yield _error(
                f"{path}.clauses[{index}]",
                _("Unknown Resolution 67 clause %(clause)s.") % {"clause": clause},
            )
    indicator = item.get("indicator")
    if indicator and indicator not in _indicator_ids():
        yield _error(
            f"{path}.indicator", _("Unknown national indicator %(value)s.") % {"value": indicator}
        )
    if item["kind"] != "numeric":
        for field in NUMERIC_ONLY:
            if field in item:
                yield _error(
                    f"{path}.{field}",
                    _("Only numeric questions take %(field)s.") % {"field": field},
                )
    elif "minimum" in item and "maximum" in item and item["minimum"] > item["maximum"]:
        yield _error(f"{path}.maximum", _("The maximum is below the minimum."))


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@transaction.atomic
def framework_import(document: Any) -> Framework:
    """Create or replace one framework version. An item that assessments already answered
    cannot be removed from its version: publish a new version instead."""
    framework_validate(document)
    values = {
        "titles": document["title"],
        "descriptions": document.get("description", {}),
        "translation_notes": document.get("translation_note", {}),
        "source": document["source"],
        "official_languages": document["official_languages"],
        "document": document,
    }
    framework = Framework.objects.filter(key=document["key"], version=document["version"]).first()
    if framework is None:
        framework = Framework.objects.create(
            key=document["key"], version=document["version"], **values
        )
    elif any(getattr(framework, name) != value for name, value in values.items()):
        # Saved (and ``loaded_at`` moved) only when the document changed: reloading the same
        # file changes nothing.
        for name, value in values.items():
            setattr(framework, name, value)
        framework.save()
    kept_items: list[str] = []
    kept_sections: list[str] = []
    for s, raw_section in enumerate(document["sections"]):
        section, _created = Section.objects.update_or_create(
            framework=framework,
            key=raw_section["key"],
            defaults={"position": s, "titles": raw_section["title"]},
        )
        kept_sections.append(section.key)
        for i, raw in enumerate(raw_section["items"]):
            Item.objects.update_or_create(
                framework=framework,
                key=raw["key"],
                defaults={
                    "section": section,
                    "position": i,
                    "ref": raw.get("ref", ""),
                    "kind": raw["kind"],
                    "texts": raw["text"],
                    "helps": raw.get("help", {}),
                    "required": raw.get("required", raw["kind"] != "text"),
                    "minimum": _decimal(raw.get("minimum")),
                    "maximum": _decimal(raw.get("maximum")),
                    "integer": raw.get("integer", False),
                    "unit": raw.get("unit", ""),
                    "indicator": raw.get("indicator", ""),
                    "clause_ids": raw.get("clauses", []),
                },
            )
            kept_items.append(raw["key"])
    removed = Item.objects.filter(framework=framework).exclude(key__in=kept_items)
    answered = Answer.objects.filter(item__in=removed).values_list("item__key", flat=True)
    _reject(
        [
            _error(
                "$.sections",
                _("The item %(key)s has answers and cannot be removed from this version.")
                % {"key": key},
                "item_in_use",
            )
            for key in sorted(set(answered))
        ],
        _("The framework file is not valid."),
    )
    removed.delete()
    Section.objects.filter(framework=framework).exclude(key__in=kept_sections).delete()
    return framework


def _item_ref(ref: dict[str, str]) -> tuple[str, str, str]:
    return (ref["framework"], ref["version"], ref["item"])


@transaction.atomic
def crosswalk_import(document: Any) -> int:
    """Replace the crosswalk with ``document``. A ``same`` link joins items of one kind, so
    that one answer can stand for both."""
    errors = _schema_errors(document, "crosswalk.schema.json")
    _reject(errors, _("The crosswalk file is not valid."))
    items = {
        (item.framework.key, item.framework.version, item.key): item
        for item in Item.objects.select_related("framework")
    }
    links = []
    for index, raw in enumerate(document["links"]):
        path = f"$.links[{index}]"
        ends = []
        for end in ("from", "to"):
            item = items.get(_item_ref(raw[end]))
            if item is None:
                errors.append(
                    _error(
                        f"{path}.{end}",
                        _("Unknown item %(item)s.") % {"item": "/".join(_item_ref(raw[end]))},
                    )
                )
            ends.append(item)
        source, target = ends
        if source is None or target is None:
            continue
        if raw["relation"] == "same" and source.kind != target.kind:
            errors.append(
                _error(f"{path}.relation", _("A 'same' link must join two questions of one kind."))
            )
        links.append(CrosswalkLink(source=source, target=target, relation=raw["relation"]))
    _reject(errors, _("The crosswalk file is not valid."))
    stored = CrosswalkLink.objects.order_by("pk").values_list("source_id", "target_id", "relation")
    if list(stored) == [(link.source_id, link.target_id, link.relation) for link in links]:
        return len(links)  # the same links in the same order: nothing to replace
    CrosswalkLink.objects.all().delete()
    CrosswalkLink.objects.bulk_create(links)
    return len(links)


@transaction.atomic
def maturity_import(document: Any) -> int:
    errors = _schema_errors(document, "maturity.schema.json")
    _reject(errors, _("The maturity scale file is not valid."))
    values = [phase["value"] for phase in document["phases"]]
    if values != list(range(1, len(values) + 1)):
        _reject(
            [_error("$.phases", _("Phases must be numbered 1, 2, 3… in order."))],
            _("The maturity scale file is not valid."),
        )
    for phase in document["phases"]:
        MaturityPhase.objects.update_or_create(
            value=phase["value"],
            defaults={
                "key": phase["key"],
                "names": phase["name"],
                "descriptions": phase["description"],
                "verify": phase.get("verify", bool(document.get("verify"))),
            },
        )
    MaturityPhase.objects.filter(value__gt=len(values)).delete()
    return len(values)


def _read(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@transaction.atomic
def frameworks_load() -> list[Framework]:
    """The bundled frameworks, maturity scale and crosswalk from ``data/``."""
    maturity_import(_read("maturity-phases.json"))
    frameworks = [framework_import(_read(name)) for name in BUNDLED_FRAMEWORKS]
    crosswalk_import(_read("crosswalk.json"))
    return frameworks


def framework_export_json(framework: Framework) -> str:
    return json.dumps(framework.document, ensure_ascii=False, indent=2) + "\n"


def crosswalk_document() -> dict[str, Any]:
    links = CrosswalkLink.objects.select_related("source__framework", "target__framework")
    return {
        "format": CROSSWALK_FORMAT,
        "version": "1.0",
        "links": [
            {
                "from": _ref_of(link.source),
                "to": _ref_of(link.target),
                "relation": link.relation,
            }
            for link in links.order_by("pk")
        ],
    }


def _ref_of(item: Item) -> dict[str, str]:
    return {"framework": item.framework.key, "version": item.framework.version, "item": item.key}


def _text_columns(prefix: str) -> list[str]:
    return [f"{prefix}_{language}" for language in UI_LANGUAGE_CODES]


CSV_COLUMNS = [
    "section", *_text_columns("section_title"), "item", "ref", "kind", "required", "minimum",
    "maximum", "integer", "unit", "indicator", "clauses", *_text_columns("text"),
    *_text_columns("help"),
]  # fmt: skip


def _csv_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def framework_export_csv(framework: Framework) -> str:
    """One row per item; section titles repeat on each row of the section."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for section in framework.document["sections"]:
        for item in section["items"]:
            row = {
                "section": section["key"],
                "item": item["key"],
                "kind": item["kind"],
                "ref": item.get("ref", ""),
                "required": _csv_value(item["required"]) if "required" in item else "",
                "clauses": " ".join(item.get("clauses", [])),
            }
            for field in ("minimum", "maximum", "unit", "indicator"):
                row[field] = _csv_value(item.get(field))
            row["integer"] = _csv_value(item["integer"]) if "integer" in item else ""
            for language in UI_LANGUAGE_CODES:
                row[f"section_title_{language}"] = section["title"][language]
                row[f"text_{language}"] = item["text"][language]
                row[f"help_{language}"] = item.get("help", {}).get(language, "")
            writer.writerow(row)
    return out.getvalue()


_CSV_PATH = re.compile(r"^\$\.sections\[(\d+)\](?:\.items\[(\d+)\])?(?:\.(\w+)(?:\.([\w-]+))?)?")


def _csv_location(path: str, rows: dict[tuple[int, int], int]) -> str:
    """``$.sections[0].items[2].text.fr`` → ``row 4, column text_fr``."""
    match = _CSV_PATH.match(path)
    if not match:
        return path
    section, item, field, language = match.groups()
    row = rows.get((int(section), int(item) if item is not None else 0))
    if field == "title":
        field = "section_title"
    column = f"{field}_{language}" if field and language else (field or "")
    if item is None and field == "key":
        column = "section"
    if item is not None and field == "key":
        column = "item"
    return _("row %(row)s, column %(column)s") % {"row": row, "column": column}


def _csv_number(text: str) -> float | int | str:
    try:
        number = Decimal(text)
    except ArithmeticError:
        return text  # left as text: the schema check names the cell
    return int(number) if number == number.to_integral_value() else float(number)


def framework_document_from_csv(text: str, base: Framework, version: str) -> dict[str, Any]:
    """A framework document from CSV rows (the columns of ``framework_export_csv``); title,
    source and languages are those of ``base``. Errors name the row and column."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [
        column for column in ("section", "item", "kind") if column not in (reader.fieldnames or [])
    ]
    if missing:
        raise InvalidInput(
            _("The CSV file is not valid."),
            details={
                "errors": [
                    _error(column, _("The column %(column)s is missing.") % {"column": column})
                    for column in missing
                ]
            },
        )
    sections: list[dict[str, Any]] = []
    rows: dict[tuple[int, int], int] = {}
    for number, row in enumerate(reader, start=2):
        if not sections or sections[-1]["key"] != row["section"]:
            title = {lang: row.get(f"section_title_{lang}", "") for lang in UI_LANGUAGE_CODES}
            sections.append({"key": row["section"], "title": title, "items": []})
        item: dict[str, Any] = {
            "key": row["item"],
            "kind": row["kind"],
            "text": {lang: row.get(f"text_{lang}", "") for lang in UI_LANGUAGE_CODES},
        }
        helps = {lang: row.get(f"help_{lang}", "") for lang in UI_LANGUAGE_CODES}
        if any(helps.values()):
            item["help"] = helps
        for field in ("ref", "unit", "indicator"):
            if row.get(field):
                item[field] = row[field]
        for field in ("minimum", "maximum"):
            if row.get(field):
                item[field] = _csv_number(row[field])
        for field in ("required", "integer"):
            if row.get(field):
                item[field] = {"yes": True, "no": False}.get(row[field], row[field])
        if row.get("clauses"):
            item["clauses"] = row["clauses"].split()
        rows[(len(sections) - 1, len(sections[-1]["items"]))] = number
        sections[-1]["items"].append(item)
    document = {**base.document, "version": version, "sections": sections}
    try:
        framework_validate(document)
    except InvalidInput as invalid:
        for error in invalid.details["errors"]:
            error["field"] = _csv_location(error["field"], rows)
        raise
    return document
