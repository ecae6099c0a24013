"""Aggregate tables for countries without microdata: an XLSX template generated per country
and year (national measures N1–N7, and survey indicators with their SE and n where a
statistics office computed them), and the reading of a filled-in template.

Reading is all or nothing: every problem is collected with its cell (``F12``) as a code and
parameters (so the check report shows it in its reader's language, see :func:`problem_text`),
and nothing is stored unless the whole sheet is right. Reading runs in the background
(:mod:`cophub.statistics.aggregate_uploads`)."""

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from cophub.portal.uploads import TableLimits

from . import engine

TEMPLATE_VERSION = "cophub-aggregate/1"
SHEET = "COP statistics"
VERSION_CELL, COUNTRY_CELL, YEAR_CELL = "B3", "B4", "B5"
HEADER_ROW = 9
COLUMNS = ("indicator", "name", "statistic", "measure", "allowed", "value", "se", "n")
VALUE, SE, N = "F", "G", "H"
# The template has 9 heading rows and 30 rows of figures in 8 columns: 1,000 rows leave room
# for framework growth and the user's notes, and bound the reading of a file that hides its size.
LIMITS = TableLimits(max_rows=1_000, max_columns=100, sheet=SHEET)


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


def _allowed_text(low: float | None, high: float | None, whole: bool) -> str:
    if whole and high == 1:
        return _("0 or 1")
    if high is None:
        return _("a whole number, 0 or more") if whole else _("0 or more")
    return f"{low or 0:g}–{high:g}"


def _allowed(row: TemplateRow) -> str:
    return _allowed_text(row.low, row.high, row.whole)


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


PROBLEM_TEXTS = {
    "template_not_workbook": gettext_lazy("The file is not an XLSX workbook."),
    "template_sheet_missing": gettext_lazy(
        "The workbook has no sheet “%(sheet)s”; download a new template."
    ),
    "template_version": gettext_lazy(
        "Cell %(cell)s holds template version “%(found)s”, but this platform reads "
        "“%(expected)s”. Download a new template and copy your figures into it."
    ),
    "template_country": gettext_lazy(
        "Cell %(cell)s: the template is for “%(found)s”, not for %(country)s."
    ),
    "template_year": gettext_lazy(
        "Cell %(cell)s: the template is for %(found)s, not for %(year)s."
    ),
    "template_row_unknown": gettext_lazy(
        "Cell %(cell)s: “%(value)s” is not a row of this template."
    ),
    "template_not_number": gettext_lazy("Cell %(cell)s: “%(value)s” is not a number."),
    "template_out_of_range": gettext_lazy(
        "Cell %(cell)s: %(value)s is outside the allowed values (%(allowed)s)."
    ),
    "template_se_missing": gettext_lazy("Cell %(cell)s: give the standard error (greater than 0)."),
    "template_n_missing": gettext_lazy(
        "Cell %(cell)s: give the unweighted n (a whole number, 1 or more)."
    ),
    "template_empty": gettext_lazy("The table holds no figure: fill in column F."),
}


def problem_text(code: str, params: Mapping[str, Any]) -> str:
    """A problem of a filled-in template (a code of :data:`PROBLEM_TEXTS`) in the active
    language."""
    values = {key: "" if value is None else value for key, value in params.items()}
    if code == "template_out_of_range":
        values["allowed"] = _allowed_text(
            params.get("low"), params.get("high"), bool(params.get("whole"))
        )
    return str(PROBLEM_TEXTS[code]) % values


class TemplateInvalid(Exception):
    """The template cannot be read: every problem, as ``{"code", "cell", "indicator",
    "params"}`` (``cell`` empty when the problem is the whole file's)."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__(", ".join(problem["code"] for problem in problems))
        self.problems = problems


class _Problems:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, cell: str, code: str, indicator: str = "", **params: Any) -> None:
        self.items.append(
            {"code": code, "cell": cell, "indicator": indicator, "params": {"cell": cell, **params}}
        )


def _invalid(code: str, cell: str = "", **params: Any) -> TemplateInvalid:
    problems = _Problems()
    problems.add(cell, code, **params)
    return TemplateInvalid(problems.items)


def _number(raw: Any, cell: str, problems: _Problems, indicator: str) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        return float(raw)
    if isinstance(raw, int | float):
        return float(raw)
    try:
        return float(str(raw).strip().replace(",", "."))
    except ValueError:
        problems.add(cell, "template_not_number", indicator, value=str(raw)[:100])
        return None


def _range_check(row: TemplateRow, value: float, cell: str, problems: _Problems) -> bool:
    outside = (row.low is not None and value < row.low) or (
        row.high is not None and value > row.high
    )
    if outside or (row.whole and value != int(value)):
        problems.add(
            cell,
            "template_out_of_range",
            row.indicator,
            value=f"{value:g}",
            low=row.low,
            high=row.high,
            whole=row.whole,
        )
        return False
    return True


def _survey_cell(
    row: TemplateRow, value: float, raw: tuple[Any, Any], number: int, problems: _Problems
) -> engine.Cell | None:
    se = _number(raw[0], f"{SE}{number}", problems, row.indicator)
    n = _number(raw[1], f"{N}{number}", problems, row.indicator)
    good = True
    if se is None or se <= 0:
        problems.add(f"{SE}{number}", "template_se_missing", row.indicator)
        good = False
    if n is None or n < 1 or n != int(n):
        problems.add(f"{N}{number}", "template_n_missing", row.indicator)
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


def template_read(
    content: bytes, *, country: str, year: int, limits: TableLimits = LIMITS
) -> list[engine.Cell]:
    """The cells of a filled-in template; :class:`TemplateInvalid` lists every problem by
    cell. Reading stops after ``limits.max_rows`` rows below the first (``too_many_rows``,
    a problem of :mod:`cophub.portal.uploads`)."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:
        raise _invalid("template_not_workbook") from error
    try:
        if SHEET not in book.sheetnames:
            raise _invalid("template_sheet_missing", sheet=SHEET)
        rows: list[tuple[Any, ...]] = []
        for values in book[SHEET].iter_rows(min_row=1, max_col=len(COLUMNS), values_only=True):
            if len(rows) > limits.max_rows:
                raise _invalid("too_many_rows", count=None, max=limits.max_rows)
            rows.append(values)
    except TemplateInvalid:
        raise
    except Exception as error:
        raise _invalid("template_not_workbook") from error
    finally:
        book.close()
    return _cells(rows, country=country, year=year)


def _cell_value(rows: list[tuple[Any, ...]], address: str) -> Any:
    row, column = int(address[1:]), ord(address[0]) - ord("A")
    values = rows[row - 1] if row <= len(rows) else ()
    return values[column] if column < len(values) else None


def _heading_check(
    rows: list[tuple[Any, ...]], country: str, year: int, problems: _Problems
) -> None:
    version = _cell_value(rows, VERSION_CELL)
    if version != TEMPLATE_VERSION:
        found = str(version or "")[:100]
        raise _invalid("template_version", VERSION_CELL, found=found, expected=TEMPLATE_VERSION)
    found_country = str(_cell_value(rows, COUNTRY_CELL) or "").strip()
    if found_country.upper() != country:
        problems.add(COUNTRY_CELL, "template_country", found=found_country[:100], country=country)
    found_year = str(_cell_value(rows, YEAR_CELL) or "").strip()
    if found_year != str(year):
        problems.add(YEAR_CELL, "template_year", found=found_year[:100], year=year)


def _cells(rows: list[tuple[Any, ...]], *, country: str, year: int) -> list[engine.Cell]:
    problems = _Problems()
    _heading_check(rows, country, year, problems)
    expected = {(r.indicator, r.measure): r for r in template_rows()}
    cells: list[engine.Cell] = []
    for number, values in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        padded = tuple(values) + (None,) * (len(COLUMNS) - len(values))
        indicator, _name, _statistic, measure = (str(v or "").strip() for v in padded[:4])
        if not indicator:
            continue
        row = expected.get((indicator, measure))
        if row is None:
            problems.add(f"A{number}", "template_row_unknown", value=indicator[:100])
            continue
        value = _number(padded[5], f"{VALUE}{number}", problems, row.indicator)
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
        raise TemplateInvalid(problems.items)
    if not cells:
        raise _invalid("template_empty", VALUE)
    return cells
