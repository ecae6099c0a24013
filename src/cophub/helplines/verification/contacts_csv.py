"""Verification contacts from a CSV file (``cophub helplines contacts FILE.csv``): columns
``helpline`` (the entry's id), ``email`` and ``language`` (optional, ``en`` by default). Every
entry named in the file gets exactly the contacts listed for it, or nothing at all is changed;
errors name the row and column."""

import csv
import io
from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from cophub.portal.errors import InvalidInput

from ..models import Helpline
from .services import contacts_set


def _problem(row: int, column: str, message: str) -> dict[str, str]:
    return {"field": f"{row}:{column}", "row": str(row), "column": column, "message": message}


@transaction.atomic
def contacts_import(text: str) -> int:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in ("helpline", "email") if name not in header]
    if missing:
        raise InvalidInput(
            _("The contacts file is not valid."),
            details={
                "errors": [
                    _problem(1, name, _("This column is missing from the header."))
                    for name in missing
                ]
            },
        )
    by_helpline: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for number, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
        if any(row.values()):
            contact = {"email": row.get("email", ""), "language": row.get("language") or "en"}
            by_helpline[row.get("helpline", "")].append((number, contact))
    known = {h.slug: h for h in Helpline.objects.filter(slug__in=by_helpline)}
    problems = []
    for slug, rows in by_helpline.items():
        if slug not in known:
            problems.append(
                _problem(
                    rows[0][0],
                    "helpline",
                    _("There is no helpline %(helpline)s.") % {"helpline": slug},
                )
            )
            continue
        try:
            with transaction.atomic():
                contacts_set(helpline=known[slug], contacts=[c for _row, c in rows])
        except InvalidInput as refused:
            for error in refused.details.get("errors", []):
                index, column = str(error["field"]).removeprefix("contacts[").split("].")
                problems.append(_problem(rows[int(index)][0], column, str(error["message"])))
    if problems:
        raise InvalidInput(_("The contacts file is not valid."), details={"errors": problems})
    return sum(len(rows) for rows in by_helpline.values())
