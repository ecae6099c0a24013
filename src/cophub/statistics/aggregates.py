"""Aggregate tables for countries without microdata: an XLSX template generated per country
and year (national measures N1–N7, and survey indicators with their SE and n where a
statistics office computed them), and the reading of a filled-in template.

Reading is all or nothing: every problem is collected and reported with its cell (``F12``),
and nothing is stored unless the whole sheet is right."""

import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from cophub.accounts.models import User
from cophub.portal.errors import InvalidInput

from . import engine
from .cells import estimates_insert
from .errors import UploadRejected, WrongState
from .microdata import upload_check
from .models import Dataset, DatasetEvent, Estimate
from .services import event_record

TEMPLATE_VERSION = "cophub-aggregate/1"
SHEET = "COP statistics"
VERSION_CELL, COUNTRY_CELL, YEAR_CELL = "B3", "B4", "B5"
HEADER_ROW = 9
COLUMNS = ("indicator", "name", "statistic", "measure", "allowed", "value", "se", "n")
VALUE, SE, N = "F", "G", "H"


@dataclass(frozen=True)
class TemplateRow:
    indicator: str
    statistic: str
    measure: str
    low: float | None
    high: float | None
    whole: bool = False
    survey: bool = False


def template_rows() -> list[TemplateRow]:
    """National measures first (N4 has one row per measure), then survey indicators (total)."""
    framework = engine.framework()
    rows: list[TemplateRow] = []
    for indicator in framework.select(source="administrative"):
        if indicator.statistic == "score" and indicator.scale is not None:
            rows.append(TemplateRow(indicator.id, "score", "", *indicator.scale))
        elif indicator.statistic == "binary":
            rows.append(TemplateRow(indicator.id, "binary", "", 0, 1, whole=True))
        elif indicator.statistic == "proportion":
            rows.append(TemplateRow(indicator.id, "proportion", "", 0, 1))
        elif indicator.statistic == "count":
            for measure in indicator.measures or ("",):
                rows.append(TemplateRow(indicator.id, "count", measure, 0, None, whole=True))
        else:
            rows.append(TemplateRow(indicator.id, indicator.statistic, "", 0, None))
    for indicator in framework.select(source="survey"):
        low, high = (0.0, 1.0) if indicator.statistic == "proportion" else (0.0, 17.0)
        rows.append(TemplateRow(indicator.id, indicator.statistic, "", low, high, survey=True))
    return rows


def _allowed(row: TemplateRow) -> str:
    if row.whole and row.high == 1:
        return _("0 or 1")
    if row.high is None:
        return _("a whole number, 0 or more") if row.whole else _("0 or more")
    return f"{row.low:g}–{row.high:g}"


def template_build(*, country: str, year: int, language: str) -> bytes:
    """The template for ``country`` and ``year`` as XLSX bytes."""
    framework = engine.framework()
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet["A1"] = _("COP Hub: aggregate statistics for %(country)s, %(year)s") % {
        "country": country,
        "year": year,
    }
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A3"], sheet[VERSION_CELL] = _("Template version"), TEMPLATE_VERSION
    sheet["A4"], sheet[COUNTRY_CELL] = _("Country"), country
    sheet["A5"], sheet[YEAR_CELL] = _("Reference year"), year
    sheet["A6"], sheet["B6"] = _("Framework"), f"{framework.id} {framework.version}"
    sheet["A7"] = _(
        "Fill in column F (value) and, for survey indicators, G (standard error) and H "
        "(unweighted n). Leave a row blank when you have no figure. Proportions are between 0 "
        "and 1. Do not change rows 1 to 9."
    )
    for index, key in enumerate(COLUMNS):
        cell = sheet.cell(row=HEADER_ROW, column=index + 1, value=key)
        cell.font = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF7D6")
    for offset, row in enumerate(template_rows()):
        number = HEADER_ROW + 1 + offset
        indicator = framework.indicator(row.indicator)
        values = (row.indicator, indicator.name.get(language), row.statistic, row.measure)
        for index, value in enumerate((*values, _allowed(row))):
            sheet.cell(row=number, column=index + 1, value=value)
        for column in (VALUE, SE, N) if row.survey else (VALUE,):
            sheet[f"{column}{number}"].fill = fill
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["E"].width = 22
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class _Problems:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, cell: str, message: str) -> None:
        self.items.append({"field": cell, "message": message})


def _number(raw: Any, cell: str, problems: _Problems) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        return float(raw)
    if isinstance(raw, int | float):
        return float(raw)
    try:
        return float(str(raw).strip().replace(",", "."))
    except ValueError:
        problems.add(
            cell, _("Cell %(cell)s: “%(value)s” is not a number.") % {"cell": cell, "value": raw}
        )
        return None


def _range_check(row: TemplateRow, value: float, cell: str, problems: _Problems) -> bool:
    outside = (row.low is not None and value < row.low) or (
        row.high is not None and value > row.high
    )
    if outside or (row.whole and value != int(value)):
        problems.add(
            cell,
            _("Cell %(cell)s: %(value)s is outside the allowed values (%(allowed)s).")
            % {"cell": cell, "value": f"{value:g}", "allowed": _allowed(row)},
        )
        return False
    return True


def _survey_cell(
    row: TemplateRow, value: float, raw: tuple[Any, Any], number: int, problems: _Problems
) -> engine.Cell | None:
    se = _number(raw[0], f"{SE}{number}", problems)
    n = _number(raw[1], f"{N}{number}", problems)
    good = True
    if se is None or se <= 0:
        problems.add(
            f"{SE}{number}",
            _("Cell %(cell)s: give the standard error (greater than 0).")
            % {"cell": f"{SE}{number}"},
        )
        good = False
    if n is None or n < 1 or n != int(n):
        problems.add(
            f"{N}{number}",
            _("Cell %(cell)s: give the unweighted n (a whole number, 1 or more).")
            % {"cell": f"{N}{number}"},
        )
        good = False
    if not good or se is None or n is None:
        return None
    return engine.Cell(
        indicator=row.indicator,
        statistic=row.statistic,
        breakdown=engine.TOTAL,
        breakdown_value=engine.TOTAL,
        estimate=value,
        se=se,
        n=int(n),
        comparability="df_assumed",
    )


def template_read(content: bytes, *, country: str, year: int) -> list[engine.Cell]:
    """The cells of a filled-in template; :class:`InvalidInput` lists every problem by cell."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError) as error:
        message = _("The file is not an XLSX workbook.")
        raise UploadRejected(
            message, details={"errors": [{"field": "file", "message": message}]}
        ) from error
    try:
        if SHEET not in book.sheetnames:
            message = _("The workbook has no sheet “%(sheet)s”; download a new template.") % {
                "sheet": SHEET
            }
            raise InvalidInput(
                message, details={"errors": [{"field": "sheet", "message": message}]}
            )
        rows = list(book[SHEET].iter_rows(min_row=1, max_col=len(COLUMNS), values_only=True))
    finally:
        book.close()
    return _cells(rows, country=country, year=year)


def _cell_value(rows: list[tuple[Any, ...]], address: str) -> Any:
    row, column = int(address[1:]), ord(address[0]) - ord("A")
    values = rows[row - 1] if row <= len(rows) else ()
    return values[column] if column < len(values) else None


def _cells(rows: list[tuple[Any, ...]], *, country: str, year: int) -> list[engine.Cell]:
    version = _cell_value(rows, VERSION_CELL)
    if version != TEMPLATE_VERSION:
        message = _(
            "Cell %(cell)s holds template version “%(found)s”, but this platform reads "
            "“%(expected)s”. Download a new template and copy your figures into it."
        ) % {"cell": VERSION_CELL, "found": version or "", "expected": TEMPLATE_VERSION}
        raise InvalidInput(
            message, details={"errors": [{"field": VERSION_CELL, "message": message}]}
        )
    problems = _Problems()
    if str(_cell_value(rows, COUNTRY_CELL) or "").strip().upper() != country:
        problems.add(
            COUNTRY_CELL,
            _("Cell %(cell)s: the template is for “%(found)s”, not for %(country)s.")
            % {
                "cell": COUNTRY_CELL,
                "found": _cell_value(rows, COUNTRY_CELL) or "",
                "country": country,
            },
        )
    found_year = _cell_value(rows, YEAR_CELL)
    if str(found_year or "").strip() != str(year):
        problems.add(
            YEAR_CELL,
            _("Cell %(cell)s: the template is for %(found)s, not for %(year)s.")
            % {"cell": YEAR_CELL, "found": found_year or "", "year": year},
        )
    expected = {(r.indicator, r.measure): r for r in template_rows()}
    cells: list[engine.Cell] = []
    for number, values in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        padded = tuple(values) + (None,) * (len(COLUMNS) - len(values))
        indicator, _name, _statistic, measure = (str(v or "").strip() for v in padded[:4])
        if not indicator:
            continue
        row = expected.get((indicator, measure))
        if row is None:
            problems.add(
                f"A{number}",
                _("Cell %(cell)s: “%(value)s” is not a row of this template.")
                % {"cell": f"A{number}", "value": indicator},
            )
            continue
        value = _number(padded[5], f"{VALUE}{number}", problems)
        if value is None or not _range_check(row, value, f"{VALUE}{number}", problems):
            continue
        if row.survey:
            cell = _survey_cell(row, value, (padded[6], padded[7]), number, problems)
            if cell is not None:
                cells.append(cell)
            continue
        cells.append(
            engine.Cell(
                indicator=row.indicator,
                statistic=row.statistic,
                measure=row.measure,
                breakdown=engine.TOTAL,
                breakdown_value=engine.TOTAL,
                estimate=value,
            )
        )
    if problems.items:
        first = problems.items[0]["message"]
        message = ngettext(
            "The table has %(count)s problem: %(first)s",
            "The table has %(count)s problems; the first: %(first)s",
            len(problems.items),
        ) % {
            "count": len(problems.items),
            "first": first,
        }
        raise InvalidInput(message, details={"errors": problems.items})
    if not cells:
        message = _("The table holds no figure: fill in column F.")
        raise InvalidInput(message, details={"errors": [{"field": "F", "message": message}]})
    return cells


def _with_intervals(cells: list[engine.Cell], method: str) -> list[engine.Cell]:
    out = []
    for cell in cells:
        if cell.se is None or cell.n is None or cell.estimate is None:
            out.append(cell)
            continue
        low, high = engine.submitted_interval(
            cell.estimate, cell.se, cell.n, statistic=cell.statistic, method=method
        )
        out.append(
            engine.Cell(**{**cell.__dict__, "ci_low": low, "ci_high": high, "df": cell.n - 1})
        )
    return out


def aggregate_upload(*, actor: User, dataset: Dataset, name: str, content: bytes) -> Dataset:
    """Replace the dataset's figures with those of a filled-in template (all or nothing)."""
    if dataset.kind != Dataset.Kind.AGGREGATE:
        raise WrongState(_("An aggregate table can only be uploaded to an aggregate dataset."))
    if dataset.status != Dataset.Status.DRAFT:
        raise WrongState(_("Only a draft can be changed; return it for changes first."))
    upload_check(name=name, content=content, accepted=("xlsx",), table=None)
    cells = template_read(content, country=dataset.country_id, year=dataset.year)
    disclosed = engine.cells_disclose(_with_intervals(cells, dataset.ci), dataset.disclosure)
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        locked.estimates.all().delete()
        surveyed = [cell for cell in disclosed if cell.n is not None]
        estimates_insert(locked, surveyed, Estimate.Method.AGGREGATE)
        national = [cell for cell in disclosed if cell.n is None]
        estimates_insert(locked, national, Estimate.Method.ADMINISTRATIVE)
        locked.check_status = Dataset.Check.PASSED
        locked.check_generation += 1
        locked.check_report = {
            "rows": len(cells),
            "cells": len(disclosed),
            "suppressed": sum(1 for c in disclosed if c.suppressed),
        }
        locked.checked_at = timezone.now()
        locked.save()
        event_record(dataset=locked, action=DatasetEvent.Action.UPLOADED, actor=actor, comment=name)
        event_record(dataset=locked, action=DatasetEvent.Action.CHECK_PASSED, actor=actor)
    return locked
