"""The open data format ``cophub.helplines/1``: validation (JSON Schema, then meaning, with
every error reported by JSON path) and export as JSON, CSV or Open Referral HSDS."""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jsonschema
from django.utils import timezone
from django.utils.translation import gettext as _

from copcore.helplines.model import Helpline as PlainHelpline
from copcore.helplines.model import Kind
from copcore.helplines.parse import FormatError, parse_helpline
from cophub.accounts.selectors import organisation_ids_by_code
from cophub.portal.errors import InvalidInput
from cophub.portal.text_policy import document_check
from cophub.reference.models import Country, Language
from cophub.reference.selectors import subdivision_country

from .models import Helpline, Topic
from .verification.score import verification_summary

FORMAT = "cophub.helplines/1"
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "copcore" / "helplines" / "schema"


@cache
def _schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return schema


def _message(code: str, params: dict[str, Any]) -> str:
    messages = {
        "schema": _("The value does not fit the format: %(detail)s"),
        "unknown_country": _("Unknown country code %(value)s."),
        "unknown_subdivision": _("Unknown subdivision %(value)s for this country."),
        "unknown_language": _("Unknown language code %(value)s."),
        "unknown_topic": _("Unknown topic %(value)s."),
        "unknown_timezone": _("Unknown time zone %(value)s."),
        "unknown_owner": _("No organisation has the code %(value)s."),
        "unknown_pair": _("No helpline entry has the identifier %(value)s."),
        "pair_not_allowed": _(
            "%(value)s cannot be paired with this entry: a pair is two different entries of "
            "the same country, neither an emergency service."
        ),
        "pair_not_mutual": _(
            "%(value)s is in this file but does not list this entry among its pairs."
        ),
        "duplicate_id": _("The identifier %(value)s is used twice."),
        "invalid_time": _("%(value)s is not a time (HH:MM)."),
        "invalid_date": _("%(value)s is not a date (YYYY-MM-DD)."),
        "link_not_https": _("%(value)s must be an https:// link."),
        "not_a_number": _("%(value)s is not a number to dial."),
        "invented_international_short_code": _(
            "%(value)s looks like a short code written in international form; store the "
            "number as it is dialled in the country."
        ),
        "age_range_reversed": _("The minimum age %(age_min)s is above the maximum %(age_max)s."),
        "not_json": _("The file is not valid JSON: %(detail)s"),
    }
    return messages.get(code, code) % params


@dataclass(frozen=True)
class ValidatedDirectory:
    documents: list[dict[str, Any]]
    helplines: list[PlainHelpline]
    owners: dict[str, int]  # organisation id by the code entries name as ``owner``


def _error(path: str, code: str, **params: Any) -> dict[str, str]:
    return {"field": path, "code": code, "message": _message(code, params)}


def directory_validate(document: Any) -> ValidatedDirectory:
    """Check ``document`` completely; raise ``InvalidInput`` listing every error by JSON path."""
    document_check(document, source="$")  # the text policy, whoever hands the document in
    validator = jsonschema.Draft202012Validator(_schema("cophub.helplines-1.schema.json"))
    errors = [
        _error(error.json_path, "schema", detail=error.message)
        for error in sorted(validator.iter_errors(document), key=lambda e: e.json_path)
    ]
    if errors:
        raise InvalidInput(_("The helpline file is not valid."), details={"errors": errors})
    countries = set(Country.objects.values_list("iso2", flat=True))
    languages = set(Language.objects.values_list("code", flat=True))
    topics = set(Topic.objects.values_list("code", flat=True))
    owners = organisation_ids_by_code(
        codes=(raw["owner"] for raw in document["helplines"] if raw.get("owner") is not None)
    )
    seen: set[str] = set()
    helplines = []
    for index, raw in enumerate(document["helplines"]):
        path = f"$.helplines[{index}]"
        errors.extend(_check_references(raw, path, countries, languages, topics, seen))
        if raw.get("owner") is not None and raw["owner"] not in owners:
            errors.append(_error(f"{path}.owner", "unknown_owner", value=raw["owner"]))
        try:
            helplines.append(parse_helpline(raw, path))
        except FormatError as error:
            errors.append(_error(error.path, error.code, **error.params))
    errors.extend(_check_pairs(document["helplines"]))
    if errors:
        raise InvalidInput(_("The helpline file is not valid."), details={"errors": errors})
    return ValidatedDirectory(
        documents=list(document["helplines"]), helplines=helplines, owners=owners
    )


def _check_references(
    raw: dict[str, Any],
    path: str,
    countries: set[str],
    languages: set[str],
    topics: set[str],
    seen: set[str],
) -> Iterable[dict[str, str]]:
    if raw["id"] in seen:
        yield _error(f"{path}.id", "duplicate_id", value=raw["id"])
    seen.add(raw["id"])
    if raw["country"] not in countries:
        yield _error(f"{path}.country", "unknown_country", value=raw["country"])
    for i, code in enumerate(raw.get("subdivisions", [])):
        if subdivision_country(code) != raw["country"]:
            yield _error(f"{path}.subdivisions[{i}]", "unknown_subdivision", value=code)
    for i, code in enumerate(raw.get("languages", [])):
        if code not in languages:
            yield _error(f"{path}.languages[{i}]", "unknown_language", value=code)
    for i, code in enumerate(raw.get("topics", [])):
        if code not in topics:
            yield _error(f"{path}.topics[{i}]", "unknown_topic", value=code)
    try:
        ZoneInfo(raw.get("timezone", "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        yield _error(f"{path}.timezone", "unknown_timezone", value=raw.get("timezone"))


def _check_pairs(entries: list[dict[str, Any]]) -> Iterable[dict[str, str]]:
    """Pairs name existing entries (in the file or the directory) of the same country, none
    an emergency service nor the entry itself; two entries of one file list each other."""
    in_file = {raw["id"]: raw for raw in entries}
    named = {p for raw in entries for p in raw.get("paired_with", [])} - set(in_file)
    stored = {
        slug: (country, kind)
        for slug, country, kind in Helpline.objects.filter(slug__in=named).values_list(
            "slug", "country_id", "kind"
        )
    }
    for index, raw in enumerate(entries):
        for i, partner in enumerate(raw.get("paired_with", [])):
            path = f"$.helplines[{index}].paired_with[{i}]"
            other = in_file.get(partner)
            country, kind = (
                (other["country"], other["kind"]) if other else stored.get(partner, (None, None))
            )
            if country is None:
                yield _error(path, "unknown_pair", value=partner)
            elif (
                partner == raw["id"]
                or country != raw["country"]
                or Kind.EMERGENCY in (kind, raw["kind"])
            ):
                yield _error(path, "pair_not_allowed", value=partner)
            elif other is not None and raw["id"] not in other.get("paired_with", [raw["id"]]):
                yield _error(path, "pair_not_mutual", value=partner)


def helpline_document(helpline: Helpline) -> dict[str, Any]:
    """One helpline in the open data format (round-trips through ``directory_validate``)."""
    document: dict[str, Any] = {
        "id": helpline.slug,
        "name": helpline.names,
        "country": helpline.country_id,
        "subdivisions": helpline.subdivisions,
        "kind": helpline.kind,
        "topics": sorted(topic.code for topic in helpline.topics.all()),
        "age_min": helpline.age_min,
        "age_max": helpline.age_max,
        "languages": helpline.languages,
        "timezone": helpline.timezone,
        "operator": helpline.operator_name,
        "owner": helpline.organisation.code if helpline.organisation else None,
        "paired_with": sorted(partner.slug for partner in helpline.paired_with.all()),
        "chi_member": helpline.chi_member,
        "contacts": [
            {
                "channel": c.channel,
                "value": c.value,
                "free": c.free,
                "hours": c.hours,
                **({"closed_on": c.closed_on} if c.closed_on else {}),
            }
            for c in helpline.contacts.all()
        ],
        "source": {
            "url": helpline.source_url,
            "type": helpline.source_type,
            "verified_at": helpline.verified_at.isoformat() if helpline.verified_at else None,
            **({"note": helpline.source_note} if helpline.source_note else {}),
        },
    }
    if helpline.website:
        document["website"] = helpline.website
    # Never the contact who confirmed it, nor the verification contacts: only what was checked.
    document["verification"] = verification_summary(helpline, timezone.localdate())
    return document
