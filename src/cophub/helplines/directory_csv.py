"""The helpline directory from the CSV template: one row per contact, the columns of the CSV
export (so an export edited in a spreadsheet can be loaded back), plus optional columns for
what the export leaves out (``name_<lang>`` for every language, ``operator``, ``website``,
``subdivisions``, ``owner``, ``chi_member``, ``source_note``; ``paired_with`` as the export
writes it — left empty, an entry keeps its pairs).

The rows become one ``cophub.helplines/1`` document and go through the same checks and the same
all-or-nothing import as a JSON file; every error is reported by row and column of the CSV
(the row numbers a spreadsheet shows: the header is row 1)."""

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from cophub.portal.errors import InvalidInput

from .hours_input import HoursNotUnderstood, hours_from_input
from .services import ImportResult, helplines_import

REQUIRED = (
    "id", "country", "kind", "languages", "topics", "timezone",
    "channel", "value", "source_url", "source_type",
)  # fmt: skip
HELPLINE_COLUMNS = (
    "id", "country", "kind", "languages", "topics", "age_min", "age_max", "timezone",
    "source_url", "source_type", "verified_at", "source_note", "operator", "website",
    "subdivisions", "owner", "chi_member", "paired_with",
)  # fmt: skip
CONTACT_COLUMNS = ("channel", "value", "free", "hours", "closed_on")
NAME = re.compile(r"^name_([a-z]{2,3}(?:-[a-z0-9]+)*)$")
# JSON path of an entry's field → its CSV column.
PATH_COLUMNS = {
    "source.url": "source_url",
    "source.type": "source_type",
    "source.verified_at": "verified_at",
    "source.note": "source_note",
}
PATH = re.compile(r"^\$\.helplines\[(\d+)\](?:\.contacts\[(\d+)\])?(?:\.(.+))?$")


@dataclass
class _Locator:
    """Where each entry and contact of the document came from in the CSV."""

    entry_rows: list[int] = field(default_factory=list)
    contact_rows: list[list[int]] = field(default_factory=list)

    def place(self, path: str) -> tuple[int, str]:
        match = PATH.match(path)
        if not match:
            return (self.entry_rows[0] if self.entry_rows else 1), ""
        entry, contact, rest = int(match.group(1)), match.group(2), match.group(3) or ""
        rest = re.sub(r"\[\d+\]$", "", rest)
        if contact is not None:
            return self.contact_rows[entry][int(contact)], rest.split(".")[0]
        if rest.startswith("name."):
            return self.entry_rows[entry], "name_" + rest[len("name.") :]
        return self.entry_rows[entry], PATH_COLUMNS.get(rest, rest.split(".")[0])


def _problem(row: int, column: str, message: str) -> dict[str, str]:
    return {"field": f"{row}:{column}", "row": str(row), "column": column, "message": message}


def csv_import(text: str) -> ImportResult:
    """Import the CSV template: every entry or none; :class:`InvalidInput` lists every problem
    by row and column."""
    document, locator = csv_document(text)
    try:
        return helplines_import(document)
    except InvalidInput as refused:
        problems = []
        for error in refused.details.get("errors", []):
            row, column = locator.place(str(error.get("field", "")))
            problems.append(_problem(row, column, str(error.get("message", ""))))
        raise InvalidInput(
            _("The helpline file is not valid."), details={"errors": problems}
        ) from refused


def csv_document(text: str) -> tuple[dict[str, Any], _Locator]:
    """The rows as a ``cophub.helplines/1`` document, and where each part came from."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InvalidInput(
            _("The helpline file is not valid."),
            details={
                "errors": [
                    _problem(1, name, _("This column is missing from the header."))
                    for name in missing
                ]
            },
        )
    problems: list[dict[str, str]] = []
    entries: dict[str, dict[str, Any]] = {}
    first_seen: dict[str, tuple[int, dict[str, str]]] = {}
    locator = _Locator()
    for number, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        slug = row["id"]
        if slug not in entries:
            entries[slug] = _entry(row, number, problems)
            first_seen[slug] = (number, row)
            locator.entry_rows.append(number)
            locator.contact_rows.append([])
        else:
            first, earlier = first_seen[slug]
            for column in (*HELPLINE_COLUMNS, *(c for c in row if NAME.match(c))):
                if column in row and row.get(column, "") != earlier.get(column, ""):
                    problems.append(
                        _problem(
                            number,
                            column,
                            _("Differs from row %(row)s of the same helpline.") % {"row": first},
                        )
                    )
        entries[slug]["contacts"].append(_contact(row, number, problems))
        locator.contact_rows[list(entries).index(slug)].append(number)
    if problems:
        raise InvalidInput(_("The helpline file is not valid."), details={"errors": problems})
    return {"format": "cophub.helplines/1", "helplines": list(entries.values())}, locator


def _words(value: str) -> list[str]:
    return [word for word in re.split(r"[\s,;]+", value) if word]


def _entry(row: dict[str, str], number: int, problems: list[dict[str, str]]) -> dict[str, Any]:
    names = {NAME.match(c).group(1): v for c, v in row.items() if NAME.match(c) and v}  # type: ignore[union-attr]
    entry: dict[str, Any] = {
        "id": row["id"],
        "name": names,
        "country": row["country"].upper(),
        "kind": row["kind"],
        "topics": _words(row["topics"]),
        "languages": _words(row["languages"]),
        "timezone": row["timezone"],
        "contacts": [],
        "source": {"url": row["source_url"], "type": row["source_type"]},
    }
    for column in ("age_min", "age_max"):
        if row.get(column):
            try:
                entry[column] = int(row[column])
            except ValueError:
                problems.append(_problem(number, column, _("Give a whole number of years.")))
    if row.get("verified_at"):
        entry["source"]["verified_at"] = row["verified_at"]
    if row.get("source_note"):
        entry["source"]["note"] = row["source_note"]
    for column in ("operator", "website", "owner"):
        if row.get(column):
            entry[column] = row[column]
    if row.get("subdivisions"):
        entry["subdivisions"] = _words(row["subdivisions"])
    if row.get("paired_with"):
        entry["paired_with"] = _words(row["paired_with"])
    if row.get("chi_member"):
        choice = {"yes": True, "no": False}.get(row["chi_member"].lower())
        if choice is None:
            problems.append(_problem(number, "chi_member", _("Write yes or no.")))
        else:
            entry["chi_member"] = choice
    return entry


def _contact(row: dict[str, str], number: int, problems: list[dict[str, str]]) -> dict[str, Any]:
    free = {"yes": True, "no": False, "unknown": None, "": None}.get(row.get("free", "").lower())
    if row.get("free", "").lower() not in ("yes", "no", "unknown", ""):
        problems.append(_problem(number, "free", _("Write yes, no or unknown.")))
    contact: dict[str, Any] = {"channel": row["channel"], "value": row["value"], "free": free}
    try:
        # The export's JSON, or the hours as a person writes them (``Mo-Fr 08:00-20:00``).
        contact["hours"] = hours_from_input(row.get("hours", ""))
    except HoursNotUnderstood as error:
        problems.append(_problem(number, "hours", str(error)))
    if row.get("closed_on"):
        contact["closed_on"] = _words(row["closed_on"])
    return contact
