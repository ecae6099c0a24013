"""A report's records annex outside the report: one page of it (the API's
``/reports/{id}/records``) and the whole of it as a CSV file (``/reports/{id}/records.csv``),
streamed; both read the report's snapshot only, in the annex's order and numbering."""

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.utils import translation

from .collected import Record
from .models import Report
from .rendering import Line, record_lines

CSV_FIELDS = ("number", "date", "kind", "kind_name", "title", "countries", "clauses", "source")


def report_lines(report: Report, *, language: str, clause: str = "") -> list[Line]:
    """The annex's lines (kinds named in ``language``), only those serving ``clause`` if given."""
    with translation.override(language):
        lines = record_lines([Record.from_json(data) for data in report.snapshot["records"]])
    if clause:
        lines = [line for line in lines if clause in line.clauses]
    return lines


def line_out(line: Line) -> dict[str, Any]:
    return {
        "number": line.number,
        "on": line.on,
        "kind": line.kind_code,
        "kind_name": line.kind,
        "title": line.title,
        "countries": [code for code in line.countries.split(", ") if code],
        "clauses": list(line.clauses),
        "source": line.source,
    }


def records_csv(lines: list[Line]) -> Iterator[str]:
    """The CSV file, a row at a time (lists of codes separated by spaces)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for line in lines:
        countries = line.countries.replace(", ", " ")
        clauses = " ".join(line.clauses)
        row = (line.number, line.on, line.kind_code, line.kind, line.title, countries)
        writer.writerow((*row, clauses, line.source))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
