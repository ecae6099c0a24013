"""The helpline directory from Open Referral HSDS 3.0: a ``{"services": [...]}`` document (what
``cophub helplines export --format hsds`` writes, or another directory's service records).

Each service becomes one ``cophub.helplines/1`` entry and the document goes through the same
checks and the same all-or-nothing import as a JSON file; errors name the service (its index
and ``id``) and its HSDS field. HSDS has no place for some of what a child's answer needs, so
they come from the import's options or from the country:

- the kind of service (``--kind``, default ``child_helpline``);
- the time zone, from the country when it has only one (CLDR's territory zones), else a
  service's ``timezone`` attribute, else an error naming the service;
- the source of the facts (the service's ``url``, else ``--source-url``; type ``other``).
  Imported entries are not verified: they show as unverified until someone confirms them.

Phones become ``voice`` or ``sms`` contacts (HSDS ``type`` ``voice``/``sms``/``text``); weekly
schedules whose ``description`` names a channel apply to that channel's contacts, and the
other weekly schedules to contacts of channels that have none of their own; ``24/7`` when a
schedule covers every day from 00:00 to 23:59."""

from typing import Any

from babel.core import get_global
from django.utils.translation import gettext as _

from cophub.portal.errors import FieldErrors, InvalidInput

from .services import ImportResult, helplines_import

DAYS = {"MO": "mon", "TU": "tue", "WE": "wed", "TH": "thu", "FR": "fri", "SA": "sat", "SU": "sun"}
PHONE_CHANNELS = {"voice": "voice", "sms": "sms", "text": "sms"}
EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"
CHANNEL_NAMES = frozenset(PHONE_CHANNELS.values())


def is_hsds(document: Any) -> bool:
    """An HSDS document (services, no ``cophub.helplines/1`` format tag)."""
    return isinstance(document, dict) and "services" in document and "format" not in document


def hsds_import(
    document: Any, *, kind: str = "child_helpline", source_url: str | None = None
) -> ImportResult:
    """Import the services of an HSDS 3.0 document: every one or none."""
    converted = hsds_document(document, kind=kind, source_url=source_url)
    try:
        return helplines_import(converted)
    except InvalidInput as refused:
        raise hsds_refusal_paths(refused) from refused


def hsds_document(
    document: Any, *, kind: str = "child_helpline", source_url: str | None = None
) -> dict[str, Any]:
    """The ``cophub.helplines/1`` document the services describe."""
    errors = FieldErrors()
    services = document.get("services") if isinstance(document, dict) else None
    if not isinstance(services, list):
        errors.add("$.services", _("An HSDS document lists its services under “services”."))
        errors.raise_if_any(_("The helpline file is not valid."))
    entries = []
    for index, service in enumerate(services or []):
        path = f"$.services[{index}]"
        if not isinstance(service, dict):
            errors.add(path, _("A service is an object."))
            continue
        entries.append(_entry(service, path, kind, source_url, errors))
    errors.raise_if_any(_("The helpline file is not valid."))
    return {"format": "cophub.helplines/1", "helplines": entries}


def _country(service: dict[str, Any]) -> str:
    for area in service.get("service_areas") or []:
        if isinstance(area, dict) and area.get("extent_type") == "country":
            return str(area.get("name", "")).upper()
    return ""


def _timezone(service: dict[str, Any], country: str) -> str | None:
    zones = get_global("territory_zones").get(country, [])
    if len(zones) == 1:
        return str(zones[0])
    for attribute in service.get("attributes") or []:
        term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
        if isinstance(term, dict) and term.get("taxonomy") == "timezone":
            return str(term.get("code"))
    return None


def _entry(
    service: dict[str, Any], path: str, kind: str, source_url: str | None, errors: FieldErrors
) -> dict[str, Any]:
    country = _country(service)
    if not country:
        errors.add(
            f"{path}.service_areas", _("Name the country: a service area of extent type country.")
        )
    zone = _timezone(service, country) if country else None
    if country and zone is None:
        errors.add(
            f"{path}.attributes",
            _("%(country)s has several time zones: give one as a timezone attribute.")
            % {"country": country},
        )
    url = service.get("url") or source_url
    if not url:
        errors.add(
            f"{path}.url", _("Give the service's address, or a source address for the import.")
        )
    languages = [
        str(item.get("code")) for item in service.get("languages") or [] if isinstance(item, dict)
    ]
    topics = [
        str(attribute["taxonomy_term"]["code"])
        for attribute in service.get("attributes") or []
        if isinstance(attribute, dict)
        and isinstance(attribute.get("taxonomy_term"), dict)
        and attribute["taxonomy_term"].get("taxonomy") == "cophub.topics"
    ]
    entry: dict[str, Any] = {
        "id": str(service.get("id", "")),
        "name": {"en": str(service.get("name", ""))},
        "country": country,
        "kind": kind,
        "topics": topics or ["other"],
        "languages": languages,
        "timezone": zone or "UTC",
        "contacts": _contacts(service),
        "source": {"url": url or "https://invalid.example", "type": "other"},
    }
    pairs = [
        str(attribute["taxonomy_term"]["code"])
        for attribute in service.get("attributes") or []
        if isinstance(attribute, dict)
        and isinstance(attribute.get("taxonomy_term"), dict)
        and attribute["taxonomy_term"].get("taxonomy") == "cophub.paired_with"
    ]
    if pairs:
        entry["paired_with"] = pairs
    operator = (
        (service.get("organization") or {}).get("name")
        if isinstance(service.get("organization"), dict)
        else None
    )
    if operator:
        entry["operator"] = str(operator)
    if service.get("url"):
        entry["website"] = str(service["url"])
    return entry


def _contacts(service: dict[str, Any]) -> list[dict[str, Any]]:
    schedules = [s for s in service.get("schedules") or [] if isinstance(s, dict)]
    contacts = []
    for phone in service.get("phones") or []:
        if not isinstance(phone, dict):
            continue
        channel = PHONE_CHANNELS.get(str(phone.get("type", "voice")), "voice")
        own = [s for s in schedules if s.get("description") == channel]
        shared = [s for s in schedules if s.get("description") not in CHANNEL_NAMES]
        mine = own or shared
        contacts.append(
            {"channel": channel, "value": str(phone.get("number", "")), "hours": _hours(mine)}
        )
    return contacts


def _hours(schedules: list[dict[str, Any]]) -> Any:
    if not schedules:
        return None
    if any(
        s.get("byday") == EVERY_DAY
        and s.get("opens_at") == "00:00"
        and s.get("closes_at") in ("23:59", "24:00")
        for s in schedules
    ):
        return "24/7"
    shifts = []
    for schedule in schedules:
        if schedule.get("freq") != "WEEKLY":
            continue
        days = [
            DAYS.get(day.strip(), day.strip())
            for day in str(schedule.get("byday", "")).split(",")
            if day.strip()
        ]
        shifts.append(
            {"days": days, "open": schedule.get("opens_at"), "close": schedule.get("closes_at")}
        )
    return shifts or None


def hsds_refusal_paths(refused: InvalidInput) -> InvalidInput:
    """Errors found on the converted entries, named by the service (``$.helplines[i]`` →
    ``$.services[i]``) so they point into the file the user gave."""
    problems = [
        {**e, "field": str(e.get("field", "")).replace("$.helplines[", "$.services[", 1)}
        for e in refused.details.get("errors", [])
    ]
    return InvalidInput(refused.message, details={"errors": problems})
