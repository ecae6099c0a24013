"""The directory written out — the open data format (JSON), the CSV (one row per contact)
and Open Referral HSDS 3.0 — as chunks, one helpline at a time, so a download or the command
streams with flat memory whatever the directory's size (decision 0046)."""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .directory_format import FORMAT, helpline_document
from .models import Helpline


def json_chunks(helplines: Iterable[Helpline]) -> Iterator[str]:
    """``{"format": …, "helplines": [...]}``, one entry per line."""
    yield f'{{"format": {json.dumps(FORMAT)}, "helplines": [\n'
    separator = ""
    for helpline in helplines:
        yield separator + json.dumps(helpline_document(helpline), ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


CSV_COLUMNS = [
    "id", "country", "kind", "name_en", "languages", "topics", "age_min", "age_max", "timezone",
    "channel", "value", "free", "hours", "closed_on", "source_url", "source_type", "verified_at",
    "paired_with", "verification_score", "stale",
]  # fmt: skip


def csv_chunks(helplines: Iterable[Helpline]) -> Iterator[str]:
    """One row per contact: what a spreadsheet user expects; one chunk per helpline."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for helpline in helplines:
        document = helpline_document(helpline)
        yield out.getvalue()
        out.seek(0)
        out.truncate()
        for contact in document["contacts"]:
            writer.writerow(
                {
                    "id": document["id"],
                    "country": document["country"],
                    "kind": document["kind"],
                    "name_en": helpline.names.get("en", ""),
                    "languages": " ".join(document["languages"]),
                    "topics": " ".join(document["topics"]),
                    "age_min": document["age_min"] if document["age_min"] is not None else "",
                    "age_max": document["age_max"] if document["age_max"] is not None else "",
                    "timezone": document["timezone"],
                    "channel": contact["channel"],
                    "value": contact["value"],
                    "free": {True: "yes", False: "no", None: "unknown"}[contact["free"]],
                    "hours": json.dumps(contact["hours"]) if contact["hours"] else "",
                    "closed_on": " ".join(contact.get("closed_on", [])),
                    "source_url": document["source"]["url"],
                    "source_type": document["source"]["type"],
                    "verified_at": document["source"]["verified_at"] or "",
                    "paired_with": " ".join(document["paired_with"]),
                    "verification_score": document["verification"]["score"],
                    "stale": "yes" if document["verification"]["stale"] else "no",
                }
            )
    yield out.getvalue()


_HSDS_DAYS = {
    "mon": "MO",
    "tue": "TU",
    "wed": "WE",
    "thu": "TH",
    "fri": "FR",
    "sat": "SA",
    "sun": "SU",
}


def _hsds_verification(verification: dict[str, Any]) -> list[dict[str, Any]]:
    """The verification score, the checks with their days and staleness as HSDS attributes
    (taxonomy ``cophub.verification``; HSDS has only ``assured_date`` for this)."""
    terms = [("score", str(verification["score"])), ("stale", str(verification["stale"]).lower())]
    terms += sorted(verification["checks"].items())
    return [
        {"taxonomy_term": {"code": code, "taxonomy": "cophub.verification"}, "value": value}
        for code, value in terms
    ]


def hsds_service(helpline: Helpline) -> dict[str, Any]:
    """Open Referral Human Services Data Specification 3.0: one ``service`` per helpline with
    its ``organization``, ``phones``, ``schedules`` (weekly, RFC 5545 days) and ``languages``;
    ``assured_date`` is the day the entry was last verified."""
    document = helpline_document(helpline)
    phones: list[dict[str, Any]] = []
    schedules: list[dict[str, Any]] = []
    for contact in document["contacts"]:
        if contact["channel"] in {"voice", "sms"}:
            phones.append(
                {"id": f"{document['id']}-{len(phones)}", "number": contact["value"],
                 "type": "voice" if contact["channel"] == "voice" else "sms",
                 "languages": [{"code": c} for c in document["languages"]]}
            )  # fmt: skip
        hours = contact["hours"]
        if hours == "24/7":
            schedules.append({"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR,SA,SU",
                              "opens_at": "00:00", "closes_at": "23:59",
                              "description": "24/7"})  # fmt: skip
        elif hours:
            for shift in hours:
                schedules.append({"freq": "WEEKLY",
                                  "byday": ",".join(_HSDS_DAYS[d] for d in shift["days"]),
                                  "opens_at": shift["open"], "closes_at": shift["close"],
                                  "description": contact["channel"]})  # fmt: skip
    service = {
        "id": document["id"],
        "name": helpline.names.get("en") or next(iter(helpline.names.values())),
        "alternate_name": "; ".join(v for k, v in helpline.names.items() if k != "en"),
        "status": "active",
        "url": document.get("website", ""),
        "organization": {"id": f"org-{document['id']}", "name": document["operator"]},
        "phones": phones,
        "schedules": schedules,
        "languages": [{"code": code} for code in document["languages"]],
        "service_areas": [{"name": document["country"], "extent_type": "country"}],
        "attributes": [{"taxonomy_term": {"code": t, "taxonomy": "cophub.topics"}}
                       for t in document["topics"]]
                      # HSDS has no pairing of services: the pairs as attributes.
                      + [{"taxonomy_term": {"code": p, "taxonomy": "cophub.paired_with"}}
                         for p in document["paired_with"]]
                      + _hsds_verification(document["verification"]),
        "last_modified": helpline.updated_at.isoformat(),
    }  # fmt: skip
    if document["source"]["verified_at"]:
        service["assured_date"] = document["source"]["verified_at"]
    return service


def hsds_chunks(helplines: Iterable[Helpline]) -> Iterator[str]:
    """``{"services": [...]}``, one service per line."""
    yield '{"services": [\n'
    separator = ""
    for helpline in helplines:
        yield separator + json.dumps(hsds_service(helpline), ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


CHUNKS: dict[str, Callable[[Iterable[Helpline]], Iterator[str]]] = {
    "json": json_chunks,
    "csv": csv_chunks,
    "hsds": hsds_chunks,
}
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "hsds": "application/json",
}


def export_text(format_: str, helplines: Iterable[Helpline]) -> str:
    """The whole export as one text (the tests' and small callers' form)."""
    return "".join(CHUNKS[format_](helplines))


def export_json(helplines: Iterable[Helpline]) -> str:
    return export_text("json", helplines)


def export_csv(helplines: Iterable[Helpline]) -> str:
    return export_text("csv", helplines)


def export_hsds(helplines: Iterable[Helpline]) -> str:
    return export_text("hsds", helplines)
