"""Helpline contact data: a child helpline's quarterly counts of contacts by reason for contact
(the Child Helpline International data framework's categories, :mod:`.reasons`), channel, age
band and sex. Aggregates only: the platform never receives a contact, a child or a message, and
publishes only disclosure-controlled totals, by reason and — through the crosswalk — by the
helpline topics.

A submission is a table (CSV, or the same rows as JSON through the API) with the columns
``quarter, reason, channel, age_band, sex, contacts``; every problem names its row and column,
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
from cophub.portal.errors import InvalidInput
from cophub.portal.uploads import TableLimits

from . import engine, reasons
from .cells import estimates_insert
from .contact_disclosure import Relation, equations
from .disclosure_audit import cells_audit_protect
from .errors import UploadRejected, WrongState
from .events import event_record
from .microdata import upload_check
from .models import ContactCount, Dataset, DatasetEvent, Estimate

INDICATOR = "helpline_contacts"
COLUMNS = ("quarter", "reason", "channel", "age_band", "sex", "contacts")
CHANNELS = (*(c.value for c in Channel), "other")
AGE_BANDS = ("0-8", "9-11", "12-14", "15-17", "18+", "unknown")
SEXES = ("female", "male", "other", "unknown")
BREAKDOWNS = (
    "quarter",
    "reason_group",
    "reason",
    "topic_group",
    "topic",
    "channel",
    "age_band",
    "sex",
    "quarter_reason_group",
    "quarter_topic_group",
)
CROSS = "|"  # joins the two levels of a cross-table cell: "Q1|violence"
MAX_ROWS = 20_000
MAX_COLUMNS = 50  # six are read; a few notes columns are fine


def template_csv() -> str:
    """A CSV to fill in: the header and one row per countable reason, in framework order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for code in reasons.countable():
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
        "reason": tuple(reasons.countable()),
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
                _("Row %(row)s repeats the quarter, reason, channel, age band and sex of a row.")
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
    """The rows of a CSV file (UTF-8, header ``quarter,reason,channel,age_band,sex,contacts``)."""
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


def _relations(countable: Mapping[str, reasons.Reason]) -> list[Relation]:
    """How the published tables add up (see :mod:`.contact_disclosure`)."""

    def first(value: str) -> str:
        return value.split(CROSS)[0]

    def second(value: str) -> str:
        return value.split(CROSS)[1]

    return [
        ("reason_group", "reason", lambda code: countable[code].group),
        ("topic", "reason", lambda code: countable[code].topic),
        ("topic_group", "topic", reasons.topic_group),
        ("quarter", "quarter_reason_group", first),
        ("reason_group", "quarter_reason_group", second),
        ("quarter", "quarter_topic_group", first),
        ("topic_group", "quarter_topic_group", second),
    ]


def _cells(
    rows: list[dict[str, Any]], countable: Mapping[str, reasons.Reason]
) -> list[engine.Cell]:
    """Annual totals by each dimension (one breakdown at a time): reasons and their main
    categories, topics and topic groups through the crosswalk, channel, age band, sex; and the
    quarter × reason category and quarter × topic group tables."""
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        contacts = int(row["contacts"])
        reason = countable[row["reason"]]
        quarter = f"Q{row['quarter']}"
        topic_group = reasons.topic_group(reason.topic)
        totals[(engine.TOTAL, engine.TOTAL)] += contacts
        totals[("quarter", quarter)] += contacts
        totals[("reason_group", reason.group)] += contacts
        totals[("reason", reason.code)] += contacts
        totals[("topic_group", topic_group)] += contacts
        totals[("topic", reason.topic)] += contacts
        for column in ("channel", "age_band", "sex"):
            totals[(column, row[column])] += contacts
        totals[("quarter_reason_group", f"{quarter}{CROSS}{reason.group}")] += contacts
        totals[("quarter_topic_group", f"{quarter}{CROSS}{topic_group}")] += contacts
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


def contact_equations(cells: list[engine.Cell]) -> list[list[int]]:
    """The equations tying the published contact tables together (positions in ``cells``),
    for the suppression audit; none when the cells are not contact counts."""
    if not any(cell.indicator == INDICATOR for cell in cells):
        return []
    return equations(cells, _relations(reasons.countable()))


def cells_disclosed(rows: list[dict[str, Any]], rule: str) -> list[engine.Cell]:
    """The published cells of checked rows under the dataset's disclosure ``rule``: the
    engine's rule within each table, then the suppression audit (decision 0035) of each
    breakdown and of each link between the tables (decision 0033)."""
    cells = engine.cells_disclose(_cells(rows, reasons.countable()), rule)
    return cells_audit_protect(cells, equations=contact_equations(cells))


def contact_counts_submit(
    *, actor: User, dataset: Dataset, rows: Iterable[Mapping[str, Any]]
) -> Dataset:
    """Replace the dataset's contact counts (all or nothing) and compute its public totals."""
    if dataset.kind != Dataset.Kind.HELPLINE:
        raise WrongState(_("Contact counts can only be submitted to a helpline dataset."))
    if dataset.status != Dataset.Status.DRAFT:
        raise WrongState(_("Only a draft can be changed; return it for changes first."))
    checked = rows_check(rows)
    disclosed = cells_disclosed(checked, dataset.disclosure)
    countable = reasons.countable()
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        locked.contact_counts.all().delete()
        locked.estimates.all().delete()
        ContactCount.objects.bulk_create(
            ContactCount(dataset=locked, topic=countable[row["reason"]].topic, **row)
            for row in checked
        )
        estimates_insert(locked, disclosed, Estimate.Method.COUNT)
        locked.check_status = Dataset.Check.PASSED
        locked.check_generation += 1
        locked.check_report = {
            "rows": len(checked),
            "cells": len(disclosed),
            "suppressed": sum(1 for c in disclosed if c.suppressed),
            **{k: v for k, v in reasons.versions().items() if k != "source"},
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
