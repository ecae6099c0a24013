"""Helpline contact data: a child helpline's quarterly counts of contacts by topic (the online-
harm categories kept distinct), channel, age band and sex. Aggregates only: the platform never
receives a contact, a child or a message, and publishes only disclosure-controlled totals.

A submission is a table (CSV, or the same rows as JSON through the API) with the columns
``quarter, topic, channel, age_band, sex, contacts``; every problem names its row and column,
and nothing is stored unless every row is right."""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from copcore.helplines.model import Channel
from cophub.accounts.models import User
from cophub.helplines.selectors import topic_parents
from cophub.portal.errors import InvalidInput
from cophub.portal.uploads import TableLimits

from . import engine
from .cells import estimates_insert
from .disclosure_audit import cells_audit_protect
from .errors import UploadRejected, WrongState
from .events import event_record
from .microdata import upload_check
from .models import ContactCount, Dataset, DatasetEvent, Estimate

INDICATOR = "helpline_contacts"
COLUMNS = ("quarter", "topic", "channel", "age_band", "sex", "contacts")
CHANNELS = (*(c.value for c in Channel), "other")
AGE_BANDS = ("0-8", "9-11", "12-14", "15-17", "18+", "unknown")
SEXES = ("female", "male", "other", "unknown")
ONLINE_HARM = "online_harm"
BREAKDOWNS = ("quarter", "topic", "topic_group", "channel", "age_band", "sex")
MAX_ROWS = 20_000
MAX_COLUMNS = 50  # six are read; a few notes columns are fine


def topics() -> dict[str, str]:
    """Topic codes that can be counted (the leaves of the taxonomy) → their group (the parent
    topic, e.g. ``online_harm``, or the topic itself)."""
    parents = topic_parents()
    has_children = {parent for parent in parents.values() if parent}
    return {code: parent or code for code, parent in parents.items() if code not in has_children}


def template_csv() -> str:
    """A CSV to fill in: the header and one example row per online-harm topic."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for code, group in sorted(topics().items()):
        if group == ONLINE_HARM:
            writer.writerow([1, code, "voice", "12-14", "female", 0])
    return buffer.getvalue()


class _Problems:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, row: int, column: str, message: str) -> None:
        self.items.append(
            {"field": f"{row}:{column}", "row": str(row), "column": column, "message": message}
        )


def _vocabularies() -> dict[str, tuple[str, ...]]:
    return {
        "topic": tuple(sorted(topics())),
        "channel": CHANNELS,
        "age_band": AGE_BANDS,
        "sex": SEXES,
    }


def _value_parse(
    column: str,
    value: str,
    number: int,
    vocabularies: dict[str, tuple[str, ...]],
    problems: _Problems,
) -> str | int | None:
    if not value:
        problems.add(
            number,
            column,
            _("Row %(row)s: column “%(column)s” is empty.") % {"row": number, "column": column},
        )
        return None
    if column in vocabularies:
        if value in vocabularies[column]:
            return value
        allowed = ", ".join(vocabularies[column])
        problems.add(
            number,
            column,
            _("Row %(row)s, column “%(column)s”: “%(value)s” is not one of %(allowed)s.")
            % {"row": number, "column": column, "value": value, "allowed": allowed},
        )
        return None
    parsed = int(value) if value.isdigit() else -1
    if column == "quarter" and not 1 <= parsed <= 4:
        problems.add(
            number,
            column,
            _("Row %(row)s, column “quarter”: “%(value)s” is not 1, 2, 3 or 4.")
            % {"row": number, "value": value},
        )
        return None
    if parsed < 0:
        problems.add(
            number,
            column,
            _("Row %(row)s, column “contacts”: “%(value)s” is not a whole number (0 or more).")
            % {"row": number, "value": value},
        )
        return None
    return parsed


def rows_check(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Validated rows; :class:`InvalidInput` lists every problem with its row and column
    (rows numbered from 1, the first data row)."""
    vocabularies = _vocabularies()
    problems = _Problems()
    out: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for number, raw in enumerate(rows, start=1):
        if number > MAX_ROWS:
            problems.add(number, "-", _("Too many rows (at most %(max)s).") % {"max": MAX_ROWS})
            break
        row: dict[str, Any] = {}
        for column in COLUMNS:
            given = raw.get(column)
            value = _value_parse(
                column, str("" if given is None else given).strip(), number, vocabularies, problems
            )
            if value is not None:
                row[column] = value
        if len(row) < len(COLUMNS):
            continue
        key = tuple(row[c] for c in COLUMNS[:-1])
        if key in seen:
            problems.add(
                number,
                "-",
                _("Row %(row)s repeats the quarter, topic, channel, age band and sex of a row.")
                % {"row": number},
            )
            continue
        seen.add(key)
        out.append(row)
    if problems.items:
        message = ngettext(
            "The contact data have %(count)s problem: %(first)s",
            "The contact data have %(count)s problems; the first: %(first)s",
            len(problems.items),
        ) % {
            "count": len(problems.items),
            "first": problems.items[0]["message"],
        }
        raise InvalidInput(message, details={"errors": problems.items})
    if not out:
        message = _("The file holds no row of contact counts.")
        raise InvalidInput(message, details={"errors": [{"field": "file", "message": message}]})
    return out


def csv_rows(content: bytes) -> list[dict[str, str]]:
    """The rows of a CSV file (UTF-8, header ``quarter,topic,channel,age_band,sex,contacts``)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = _("The file is not UTF-8 text.")
        raise UploadRejected(
            message, details={"errors": [{"field": "file", "message": message}]}
        ) from error
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        message = ngettext(
            "The file lacks the column %(columns)s.",
            "The file lacks the columns %(columns)s.",
            len(missing),
        ) % {"columns": ", ".join(missing)}
        raise InvalidInput(
            message,
            details={"errors": [{"field": column, "message": message} for column in missing]},
        )
    return [{(k or "").strip(): v for k, v in row.items()} for row in reader]


def _cell_order(item: tuple[tuple[str, str], int]) -> tuple[int, str]:
    breakdown, value = item[0]
    return (BREAKDOWNS.index(breakdown) if breakdown in BREAKDOWNS else -1, value)


def _cells(rows: list[dict[str, Any]]) -> list[engine.Cell]:
    """Annual totals by each dimension (one breakdown at a time), plus the topic groups so
    online harm can be read as a whole while its categories stay distinct."""
    groups = topics()
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        contacts = int(row["contacts"])
        totals[(engine.TOTAL, engine.TOTAL)] += contacts
        totals[("quarter", f"Q{row['quarter']}")] += contacts
        totals[("topic", row["topic"])] += contacts
        totals[("topic_group", groups.get(row["topic"], row["topic"]))] += contacts
        for column in ("channel", "age_band", "sex"):
            totals[(column, row[column])] += contacts
    return [
        engine.Cell(
            indicator=INDICATOR,
            statistic="count",
            breakdown=breakdown,
            breakdown_value=value,
            estimate=float(count),
            n=count,
        )
        for (breakdown, value), count in sorted(
            totals.items(),
            key=lambda item: (
                BREAKDOWNS.index(item[0][0]) if item[0][0] in BREAKDOWNS else -1,
                item[0][1],
            ),
        )
    ]


def contact_counts_submit(
    *, actor: User, dataset: Dataset, rows: Iterable[Mapping[str, Any]]
) -> Dataset:
    """Replace the dataset's contact counts (all or nothing) and compute its public totals."""
    if dataset.kind != Dataset.Kind.HELPLINE:
        raise WrongState(_("Contact counts can only be submitted to a helpline dataset."))
    if dataset.status != Dataset.Status.DRAFT:
        raise WrongState(_("Only a draft can be changed; return it for changes first."))
    checked = rows_check(rows)
    # The topic_group breakdown is a coarsening of topic, so it is disclosed on its own
    # (complementary suppression works within each breakdown).
    disclosed = cells_audit_protect(engine.cells_disclose(_cells(checked), dataset.disclosure))
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        locked.contact_counts.all().delete()
        locked.estimates.all().delete()
        ContactCount.objects.bulk_create(ContactCount(dataset=locked, **row) for row in checked)
        estimates_insert(locked, disclosed, Estimate.Method.COUNT)
        locked.check_status = Dataset.Check.PASSED
        locked.check_generation += 1
        locked.check_report = {
            "rows": len(checked),
            "cells": len(disclosed),
            "suppressed": sum(1 for c in disclosed if c.suppressed),
        }
        locked.checked_at = timezone.now()
        locked.save()
        event_record(dataset=locked, action=DatasetEvent.Action.UPLOADED, actor=actor)
        event_record(dataset=locked, action=DatasetEvent.Action.CHECK_PASSED, actor=actor)
    return locked


def contact_counts_upload(*, actor: User, dataset: Dataset, name: str, content: bytes) -> Dataset:
    """A CSV of contact counts: refused before it is parsed when it holds more than
    :data:`MAX_ROWS` rows or :data:`MAX_COLUMNS` columns."""
    limits = TableLimits(max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
    upload_check(name=name, content=content, accepted=("csv",), table=limits)
    return contact_counts_submit(actor=actor, dataset=dataset, rows=csv_rows(content))
