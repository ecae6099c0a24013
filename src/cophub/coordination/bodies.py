"""Loading the bodies and the deadline rule sets they follow from ``data/`` (``cophub setup``,
``cophub coordination load_bodies``). Loading again changes nothing that is up to date, and
never undoes what BDT staff decided in the back office: a rule set they edited keeps their
values, and a body keeps the rule set they chose."""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cophub.reference.models import Region

from .deadline_models import DeadlineRuleSet
from .meetings.models import Body

DATA_DIR = Path(__file__).resolve().parent / "data"
DEADLINE_VALUES = ("translated_days", "accepted_days", "posted_days", "exempt_posted_days")


def _rule_set_fields(entry: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "names": entry["names"],
        "source": entry["source"],
        "source_url": entry.get("source_url") or "",
        "exempt_kinds": entry.get("exempt_kinds") or [],
        "note": entry.get("note") or "",
    }
    for name in DEADLINE_VALUES:
        value = entry.get(name)
        fields[name] = value["days"] if value else None
        fields[f"{name}_confirmed"] = bool(value["confirmed"]) if value else True
    return fields


def rule_sets_load() -> int:
    """Create the rule sets of ``data/deadline_rules.json``, and update those nobody edited."""
    document = json.loads((DATA_DIR / "deadline_rules.json").read_text(encoding="utf-8"))
    edited = set(
        DeadlineRuleSet.objects.filter(edited_at__isnull=False).values_list("code", flat=True)
    )
    for entry in document["rule_sets"]:
        if entry["code"] in edited:
            continue
        fields = _rule_set_fields(entry)
        try:  # the model's own checks (lengths, address, deadlines in order), as in the back office
            DeadlineRuleSet(code=entry["code"], **fields).full_clean(validate_unique=False)
        except ValidationError as error:
            raise ValueError(
                f"data/deadline_rules.json, rule set {entry['code']}: {error.message_dict}"
            ) from error
        DeadlineRuleSet.objects.update_or_create(code=entry["code"], defaults=fields)
    return len(document["rule_sets"])


@transaction.atomic
def bodies_load() -> int:
    """Load the rule sets, then the bodies (``data/bodies.json``); existing bodies are updated,
    except the rule set they follow once they have one."""
    rule_sets_load()
    document = json.loads((DATA_DIR / "bodies.json").read_text(encoding="utf-8"))
    regions = set(Region.objects.values_list("code", flat=True))
    following = dict(Body.objects.values_list("code", "rule_set_id"))
    for entry in document["bodies"]:
        Body.objects.update_or_create(
            code=entry["code"],
            defaults={
                "kind": entry["kind"],
                "names": entry["names"],
                "document_prefix": entry["prefix"],
                "document_pattern": entry["pattern"],
                # Before the reference data is loaded, regional offices have no region yet.
                "region_id": entry.get("region") if entry.get("region") in regions else None,
                "rule_set_id": following.get(entry["code"]) or entry.get("rules"),
            },
        )
    return len(document["bodies"])
