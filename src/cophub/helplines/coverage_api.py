"""``GET /api/v1/helplines/coverage``: the coverage page's facts as JSON or CSV."""

import csv
import io
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from cophub.portal.errors import FieldErrors

from .coverage import coverage_rows

router = Router(tags=["helplines"])
FIELDS = (
    "country",
    "name",
    "region",
    "state",
    "helplines",
    "verified_on",
    "number",
    "number_state",
    "sms",
    "ussd",
    "chat",
)


class CoverageOut(Schema):
    country: str
    name: str
    region: str
    state: str
    helplines: int
    verified_on: date | None
    number: str
    number_state: str
    sms: bool
    ussd: bool
    chat: bool


@router.get("", response=list[CoverageOut], url_name="helplines_coverage")
def coverage(request: HttpRequest, format: str = "json") -> HttpResponse | list[CoverageOut]:
    """Every ITU Member State: ``state`` is ``none`` (no child helpline listed), ``listed``
    (not verified within 12 months) or ``verified``; ``number_state`` of the child helpline
    number is ``in_service``, ``allocated``, ``not_in_service`` or ``none``. ``format=csv``
    gives the same as a CSV file."""
    if format not in ("json", "csv"):
        errors = FieldErrors()
        errors.add(
            "format", _("Choose one of: %(choices)s.") % {"choices": "json, csv"}, "invalid_choice"
        )
        errors.raise_if_any()
    rows = [
        CoverageOut(
            country=row.iso2,
            name=row.name,
            region=row.region,
            state=row.state,
            helplines=row.helplines,
            verified_on=row.verified_on,
            number=row.number,
            number_state=row.number_state,
            sms=row.sms,
            ussd=row.ussd,
            chat=row.chat,
        )
        for row in coverage_rows(timezone.localdate())
    ]
    if format == "json":
        return rows
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIELDS)
    for out in rows:
        values = out.model_dump()
        writer.writerow(["" if values[f] is None else values[f] for f in FIELDS])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="helpline-coverage.csv"'
    return response
