"""Tidy result tables: the shape shared by estimation and tabulation results.

Both :class:`copcore.stats.estimate.EstimateResult` and
:class:`copcore.stats.tabulate.Tabulation` are tidy tables: named columns of one length (text
as ``object`` arrays, numbers as ``float64`` with NaN for blank, ``int64``, ``bool``), metadata,
and the dimensions that identify a row in SDMX. :mod:`copcore.stats.formats` writes any of them
as CSV, JSON, Parquet or SDMX-CSV.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

MetadataValue = str | float | int | bool | Sequence[str]
# Measure and confidentiality columns, by the names both result tables use.
MEASURE = "estimate"
SUPPRESSED = "suppressed"


class TidyTable(Protocol):
    """What the writers need from a result table."""

    @property
    def columns(self) -> Mapping[str, NDArray[Any]]:
        """The columns, each a NumPy array of the table's length."""

    @property
    def column_names(self) -> tuple[str, ...]:
        """The columns in output order."""

    @property
    def metadata(self) -> Mapping[str, MetadataValue]:
        """Facts about the whole table (method, level, rule, framework version …)."""

    @property
    def sdmx_structure(self) -> str:
        """The SDMX dataflow the rows belong to, ``AGENCY:ID(VERSION)``."""

    @property
    def sdmx_dimensions(self) -> tuple[str, ...]:
        """The columns that identify a row (SDMX dimensions), in order."""


def tidy_rows(table: TidyTable) -> list[dict[str, Any]]:
    """Rows as plain dicts, blank numbers as ``None``."""
    lists = {name: table.columns[name].tolist() for name in table.column_names}
    n_rows = len(next(iter(lists.values()), []))
    out: list[dict[str, Any]] = []
    for i in range(n_rows):
        row: dict[str, Any] = {}
        for name in table.column_names:
            value = lists[name][i]
            row[name] = None if isinstance(value, float) and np.isnan(value) else value
        out.append(row)
    return out


def tidy_arrow(table: TidyTable) -> pa.Table:
    """The table as Arrow: blank numbers as nulls, metadata on the schema as ``copstats.<key>``
    (text as is, anything else as JSON)."""
    arrays: list[pa.Array] = []
    for name in table.column_names:
        values = table.columns[name]
        if values.dtype == object:
            arrays.append(pa.array(values.tolist(), type=pa.string()))
        elif values.dtype.kind == "f":
            arrays.append(pa.array(values, mask=np.isnan(values)))
        else:
            arrays.append(pa.array(values))
    arrow = pa.Table.from_arrays(arrays, names=list(table.column_names))
    metadata = {
        f"copstats.{key}": value if isinstance(value, str) else json.dumps(value)
        for key, value in table.metadata.items()
    }
    return arrow.replace_schema_metadata(metadata)
