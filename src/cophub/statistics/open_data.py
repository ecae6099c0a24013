"""Open data: published observations as JSON, CSV, SDMX-CSV 2.0 and DHIS2 ``dataValueSets``.

Every row carries its release id and licence, the estimate with its SE, confidence interval
and unweighted n, and the flags (disclosure, comparability, method). Suppressed cells stay in
the tables as suppressed (``CONF_STATUS=C`` in SDMX) with no number; DHIS2 has no such state,
so the DHIS2 export leaves them out and counts them in a response header."""

import csv
import io
import json
import math
from collections.abc import Iterable, Iterator
from typing import Any

from .models import Observation

SDMX_STRUCTURE_ID = "COPHUB:DF_COP_OBSERVATIONS(1.0)"
FIELDS = (
    "release",
    "country",
    "year",
    "indicator",
    "measure",
    "statistic",
    "breakdown",
    "breakdown_value",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "n",
    "suppressed",
    "flag",
    "comparability",
    "method",
    "age_min",
    "age_max",
    "source",
    "licence",
    "synthetic",
    "current",
)


def observation_record(row: Observation) -> dict[str, Any]:
    release = row.release
    return {
        "release": release.code,
        "country": row.country_id,
        "year": row.year,
        "indicator": row.indicator,
        "measure": row.measure,
        "statistic": row.statistic,
        "breakdown": row.breakdown,
        "breakdown_value": row.breakdown_value,
        "estimate": row.estimate,
        "se": row.se,
        "ci_low": row.ci_low,
        "ci_high": row.ci_high,
        "n": row.n,
        "suppressed": row.suppressed,
        "flag": row.flag,
        "comparability": row.comparability,
        "method": row.method,
        "age_min": row.age_min,
        "age_max": row.age_max,
        "source": release.source,
        "licence": release.licence,
        "synthetic": release.synthetic,
        "current": row.current,
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return str(value)


def _lines(rows: Iterable[list[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([_text(v) for v in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)


def csv_lines(rows: Iterable[Observation]) -> Iterator[str]:
    """Plain CSV, one line at a time (for streaming bulk downloads)."""

    def table() -> Iterator[list[Any]]:
        yield list(FIELDS)
        for row in rows:
            record = observation_record(row)
            yield [record[name] for name in FIELDS]

    return _lines(table())


SDMX_HEADER = (
    "STRUCTURE",
    "STRUCTURE_ID",
    "ACTION",
    "REF_AREA",
    "TIME_PERIOD",
    "INDICATOR",
    "MEASURE",
    "BREAKDOWN",
    "BREAKDOWN_VALUE",
    "OBS_VALUE",
    "SE",
    "CI_LOW",
    "CI_HIGH",
    "UNWEIGHTED_N",
    "CONF_STATUS",
    "FLAG",
    "COMPARABILITY",
    "METHOD",
    "RELEASE",
    "LICENCE",
)


def sdmx_csv_lines(rows: Iterable[Observation]) -> Iterator[str]:
    """SDMX-CSV 2.0 (SDMX Technical Working Group, 2021): dataflow rows, ``ACTION=I``;
    dimensions REF_AREA, TIME_PERIOD, INDICATOR, MEASURE, BREAKDOWN, BREAKDOWN_VALUE; measure
    OBS_VALUE; suppressed cells ``CONF_STATUS=C`` (SDMX code list CL_CONF_STATUS), others F."""

    def table() -> Iterator[list[Any]]:
        yield list(SDMX_HEADER)
        for row in rows:
            yield [
                "dataflow",
                SDMX_STRUCTURE_ID,
                "I",
                row.country_id,
                row.year,
                row.indicator,
                row.measure or "_Z",
                row.breakdown,
                row.breakdown_value,
                row.estimate,
                row.se,
                row.ci_low,
                row.ci_high,
                row.n,
                "C" if row.suppressed else "F",
                row.flag,
                row.comparability,
                row.method,
                row.release.code,
                row.release.licence,
            ]

    return _lines(table())


def dhis2_data_value(row: Observation) -> dict[str, Any] | None:
    """One DHIS2 data value (codes as identifiers: data element ``COP_<indicator>[_<measure>]``,
    org unit the ISO code, category option combo ``<breakdown>_<level>`` or ``default``), or
    ``None`` for a suppressed cell (DHIS2 has no state for it). Survey estimates are final
    values: DHIS2 must store them with aggregation type NONE."""
    if row.suppressed or row.estimate is None:
        return None
    element = f"COP_{row.indicator}" + (f"_{row.measure}" if row.measure else "")
    combo = "default" if row.breakdown == "_T" else f"{row.breakdown}_{row.breakdown_value}"
    notes = [f"release={row.release.code}", f"licence={row.release.licence}"]
    for name in ("se", "ci_low", "ci_high", "n"):
        value = getattr(row, name)
        if value is not None:
            notes.append(f"{name}={value:g}" if isinstance(value, float) else f"{name}={value}")
    if row.comparability:
        notes.append(f"comparability={row.comparability}")
    return {
        "dataElement": element,
        "period": str(row.year),
        "orgUnit": row.country_id,
        "categoryOptionCombo": combo,
        "attributeOptionCombo": "default",
        "value": repr(row.estimate),
        "comment": "; ".join(notes),
    }


DHIS2_SCHEMES = {
    "dataElementIdScheme": "CODE",
    "orgUnitIdScheme": "CODE",
    "categoryOptionComboIdScheme": "CODE",
}


def dhis2_data_value_set_chunks(rows: Iterable[Observation]) -> Iterator[str]:
    """A DHIS2 ``dataValueSets`` payload as JSON text, a few hundred values at a time, so a
    download of every observation holds one chunk in memory, not the whole document."""
    head = json.dumps(DHIS2_SCHEMES, ensure_ascii=False)
    yield head[:-1] + ', "dataValues": ['
    chunk: list[str] = []
    first = True
    for row in rows:
        value = dhis2_data_value(row)
        if value is None:
            continue
        chunk.append(("" if first else ",") + json.dumps(value, ensure_ascii=False))
        first = False
        if len(chunk) >= 500:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + "]}"
