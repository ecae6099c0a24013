"""Writing computed cells: a dataset's estimates in one ``executemany`` and its published
observations in one ``INSERT … SELECT``. A survey gives about a thousand cells; building a
model instance and preparing every value through the ORM cost more than the whole estimation,
so these two hot writes speak SQL directly (portable: SQLite and PostgreSQL)."""

from collections.abc import Sequence
from typing import Any

from django.db import connection

from . import engine
from .models import Dataset, Estimate, Observation, Release

ESTIMATE_COLUMNS = (
    "dataset_id",
    "indicator",
    "statistic",
    "measure",
    "breakdown",
    "breakdown_value",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "deff",
    "df",
    "n",
    "suppressed",
    "flag",
    "comparability",
    "age_min",
    "age_max",
    "method",
)


def estimates_insert(dataset: Dataset, cells: Sequence[engine.Cell], method: str) -> int:
    """Store ``cells`` as the dataset's estimates; cells not computed get no method."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ESTIMATE_COLUMNS)
    marks = ", ".join(["%s"] * len(ESTIMATE_COLUMNS))
    sql = f"INSERT INTO {quote(Estimate._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names are quoted model columns, values are parameters
    rows = [
        (
            dataset.pk,
            cell.indicator,
            cell.statistic,
            cell.measure,
            cell.breakdown,
            cell.breakdown_value,
            cell.estimate,
            cell.se,
            cell.ci_low,
            cell.ci_high,
            cell.deff,
            cell.df,
            cell.n,
            cell.suppressed,
            cell.flag[:80],
            cell.comparability[:300],
            cell.age_min,
            cell.age_max,
            method if cell.computed else "",
        )
        for cell in cells
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


# Suppressed cells keep their flag and lose every number that could reveal them, ``n``
# included; counts (helpline contacts) never carry ``n`` (it would be the count itself).
_COPIED = (
    "indicator",
    "statistic",
    "measure",
    "breakdown",
    "breakdown_value",
    "flag",
    "comparability",
    "age_min",
    "age_max",
    "method",
    "suppressed",
)
_HIDDEN_WHEN_SUPPRESSED = ("estimate", "se", "ci_low", "ci_high")


def observations_copy(release: Release, dataset: Dataset) -> int:
    """Copy the dataset's computed cells into public observations; returns how many."""
    quote = connection.ops.quote_name
    target = ["release_id", "country_id", "year", "current", *_COPIED, *_HIDDEN_WHEN_SUPPRESSED]
    target.append("n")
    selected = ["%s", "%s", "%s", "%s", *(quote(c) for c in _COPIED)]
    selected += [
        f"CASE WHEN suppressed THEN NULL ELSE {quote(c)} END" for c in _HIDDEN_WHEN_SUPPRESSED
    ]
    selected.append(f"CASE WHEN suppressed OR method = %s THEN NULL ELSE {quote('n')} END")
    sql = (
        f"INSERT INTO {quote(Observation._meta.db_table)} ({', '.join(quote(c) for c in target)}) "  # noqa: S608 - names are quoted model columns, values are parameters
        f"SELECT {', '.join(selected)} FROM {quote(Estimate._meta.db_table)} "
        "WHERE dataset_id = %s AND method <> %s ORDER BY id"
    )
    params: list[Any] = [release.pk, dataset.country_id, dataset.year, True]
    params += [str(Estimate.Method.COUNT), dataset.pk, ""]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)
