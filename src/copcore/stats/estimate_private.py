"""Weighted totals and unweighted counts released under differential privacy.

:func:`estimate_private` is the private counterpart of ``estimate(..., [Request("total", …)])``
for 0/1 and categorical columns: in every cell of every breakdown it releases the capped
weighted number of rows with the value 1 (or in each category), or with no weight the number
of rows, with noise from :mod:`copcore.stats.privacy`. Proportions under differential privacy
are :func:`copcore.stats.tabulate.tabulate_private`'s.

Cells and categories must not be read from the data (which levels exist would leak): every
categorical column and every column of a breakdown needs its levels listed in advance
(``levels``), and every listed level is released, empty or not. A 0/1 column needs none.

Accounting: one query per requested column and breakdown (the overall ``_T`` one included):
its categories × cells are disjoint, one histogram (parallel composition); queries add up.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from copcore.stats.columns import (
    BoolArray,
    Factor,
    IntArray,
    Table,
    column_get,
    factorize,
    table_from_arrow,
    table_length,
)
from copcore.stats.design import Design, design_weights
from copcore.stats.errors import InputError, OptionError
from copcore.stats.estimate import RESULT_HEAD, SDMX_STRUCTURE, TOTAL_LEVEL, Request
from copcore.stats.privacy import (
    Calibration,
    NoisyCells,
    calibration_metadata,
    dp_cell_counts,
    dp_cell_counts_unweighted,
)
from copcore.stats.tidy import MetadataValue, tidy_arrow, tidy_rows

PRIVATE_TAIL = (
    "estimate",
    "dp_total",
    "dp_mechanism",
    "dp_sampler",
    "dp_epsilon",
    "dp_scale",
    "dp_weight_cap",
)


@dataclass(frozen=True)
class PrivateEstimate:
    """A tidy table of private totals: ``statistic, variable, category, <by columns>``, then
    ``estimate`` (the noisy total, negative values shown as 0), ``dp_total`` (the noisy total
    as drawn: unbiased, the one to add up) and the privacy-loss parameters of the release."""

    columns: Mapping[str, NDArray[Any]]
    by_columns: tuple[str, ...]
    metadata: Mapping[str, MetadataValue]

    @property
    def column_names(self) -> tuple[str, ...]:
        """``statistic, variable, category, <by columns>, estimate, dp_total, dp_…``."""
        return (*RESULT_HEAD, *self.by_columns, *PRIVATE_TAIL)

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return len(self.columns["estimate"])

    @property
    def sdmx_structure(self) -> str:
        """The SDMX dataflow of survey estimates."""
        return SDMX_STRUCTURE

    @property
    def sdmx_dimensions(self) -> tuple[str, ...]:
        """``statistic, variable, category`` and the by columns identify a row."""
        return (*RESULT_HEAD, *self.by_columns)

    def rows(self) -> list[dict[str, Any]]:
        """Rows as plain dicts."""
        return tidy_rows(self)

    def to_arrow(self) -> pa.Table:
        """The table as Arrow, metadata on the schema."""
        return tidy_arrow(self)


@dataclass(frozen=True)
class _Coded:
    """A column or cross-classification coded against levels fixed in advance."""

    codes: IntArray
    labels: tuple[tuple[str, ...], ...]


def _declared(table: Table, name: str, levels: Mapping[str, Sequence[str]]) -> IntArray:
    """Codes of column ``name`` against its listed levels (``-1``: missing or not listed)."""
    if name not in levels:
        column_get(table, name)  # column_missing first
        raise OptionError("dp_levels_missing", column=name)
    factor = factorize(column_get(table, name))
    position = {level: i for i, level in enumerate(levels[name])}
    remap = np.array([*(position.get(lv, -1) for lv in factor.levels), -1], dtype=np.int64)
    return np.asarray(remap[factor.codes], dtype=np.int64)


def _breakdown(
    table: Table, names: Sequence[str], levels: Mapping[str, Sequence[str]], n_rows: int
) -> _Coded:
    """The cross-classification of ``names``: every combination of their listed levels."""
    codes = np.zeros(n_rows, dtype=np.int64)
    for name in names:
        own = _declared(table, name, levels)
        size = len(levels[name])
        codes = np.where((codes >= 0) & (own >= 0), codes * size + own, -1)
    labels = tuple(itertools.product(*(tuple(levels[name]) for name in names)))
    return _Coded(codes=codes, labels=labels)


def _variable(table: Table, name: str, levels: Mapping[str, Sequence[str]]) -> _Coded:
    """A requested column: its listed categories, or for a 0/1 column the single category
    ``""`` holding the rows with value 1."""
    if name in levels:
        return _Coded(_declared(table, name, levels), tuple((lv,) for lv in levels[name]))
    values = column_get(table, name)
    if isinstance(values, Factor) or values.dtype.kind not in "fiub":
        raise OptionError("dp_levels_missing", column=name)
    numbers = np.asarray(values, dtype=np.float64)
    bad = ~np.isnan(numbers) & (numbers != 0.0) & (numbers != 1.0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError("dp_not_binary", column=name, row=row + 1, value=float(numbers[row]))
    return _Coded(np.where(numbers == 1.0, 0, -1).astype(np.int64), (("",),))


def _levels_check(levels: Mapping[str, Sequence[str]]) -> None:
    for name, listed in levels.items():
        if not listed or len(set(listed)) != len(listed):
            raise OptionError(
                "option_invalid",
                option="dp-levels",
                value=f"{name}={','.join(listed)}",
                allowed="distinct levels",
            )


def estimate_private(
    table: Table | pa.Table,
    requests: Sequence[Request],
    by: Sequence[Sequence[str]] = (),
    *,
    weight: str | None,
    levels: Mapping[str, Sequence[str]],
    epsilon: float,
    weight_cap: float | None = None,
    rng: np.random.Generator | None = None,
) -> tuple[PrivateEstimate, Calibration]:
    """Totals of 0/1 or categorical columns under ``epsilon``-differential privacy.

    With ``weight``, each cell's total is ``Σ min(w_i, weight_cap)`` over its rows with the
    value 1 (or in the category), with Laplace noise (OpenDP's capped sum); without, the
    number of those rows with discrete Laplace noise (OpenDP's count; the cap is 1 and
    ``weight_cap`` must be ``None``). Only ``total`` requests are accepted
    (``dp_statistic_unsupported`` otherwise). ``levels`` lists the levels of every
    categorical request and every column of ``by`` (text as in the data, integral numbers
    without ``.0``); values not listed are counted nowhere. A request that is not listed
    must be a numeric 0/1 column (missing values allowed; ``dp_not_binary`` otherwise).

    Returns the table and the calibration to record in the ledger
    (:func:`copcore.stats.privacy.ledger_charge`); nothing else about the data is released
    (no SE, interval or unweighted n). Strata and PSUs play no part.

    >>> data = {"y": np.array([1.0, 0.0, 1.0]), "w": np.array([5.0, 1.0, 50.0])}
    >>> out, cal = estimate_private(
    ...     data, [Request("total", "y")], weight="w", levels={}, epsilon=1.0,
    ...     weight_cap=10.0, rng=np.random.default_rng(0))
    >>> cal.queries, out.rows()[0]["dp_weight_cap"]
    (1, 10.0)
    """
    columns_in: Table = table_from_arrow(table) if isinstance(table, pa.Table) else table
    for request in requests:
        if request.statistic != "total":
            raise OptionError(
                "dp_statistic_unsupported", statistic=request.statistic, column=request.variable
            )
    if not requests:
        raise OptionError("option_invalid", option="statistic", value="", allowed="total")
    if weight is None and weight_cap is not None:
        raise OptionError(
            "option_invalid",
            option="dp-weight-cap",
            value=str(weight_cap),
            allowed="only with --weight",
        )
    if weight is not None and weight_cap is None:
        raise OptionError("option_invalid", option="dp-weight-cap", value="", allowed="> 0")
    _levels_check(levels)
    n_rows = table_length(columns_in)
    groups = [tuple(g) for g in by if g]
    breakdowns = [_Coded(np.zeros(n_rows, dtype=np.int64), ((),))]
    breakdowns += [_breakdown(columns_in, g, levels, n_rows) for g in groups]
    variables = [_variable(columns_in, r.variable, levels) for r in requests]
    masks: list[BoolArray] = []
    cells: list[tuple[IntArray, int]] = []
    for variable in variables:
        for breakdown in breakdowns:
            n_cells = len(breakdown.labels)
            both = (variable.codes >= 0) & (breakdown.codes >= 0)
            codes = np.where(both, variable.codes * n_cells + breakdown.codes, -1)
            masks.append(both)
            cells.append((codes, len(variable.labels) * n_cells))
    noisy: NoisyCells
    if weight is None:
        noisy = dp_cell_counts_unweighted(masks, cells, epsilon=epsilon, rng=rng)
    else:
        weights = design_weights(columns_in, Design(weight=weight))
        noisy = dp_cell_counts(
            weights, masks, cells, epsilon=epsilon, weight_cap=float(weight_cap or 0), rng=rng
        )
    by_columns = tuple(dict.fromkeys(name for g in groups for name in g))
    columns = _assemble(requests, variables, groups, breakdowns, noisy, by_columns)
    metadata: dict[str, MetadataValue] = {
        "generator": "copstats",
        "weight": weight or "",
        "by_columns": list(by_columns),
        **calibration_metadata(noisy.calibration, noisy.sampler),
    }
    result = PrivateEstimate(columns=columns, by_columns=by_columns, metadata=metadata)
    return result, noisy.calibration


def _assemble(
    requests: Sequence[Request],
    variables: Sequence[_Coded],
    groups: Sequence[tuple[str, ...]],
    breakdowns: Sequence[_Coded],
    noisy: NoisyCells,
    by_columns: tuple[str, ...],
) -> dict[str, NDArray[Any]]:
    text: dict[str, list[str]] = {name: [] for name in (*RESULT_HEAD, *by_columns)}
    totals: list[float] = []
    query = 0
    for request, variable in zip(requests, variables, strict=True):
        for names, breakdown in zip([(), *groups], breakdowns, strict=True):
            sums = noisy.sums[query]
            query += 1
            n_cells = len(breakdown.labels)
            for cell, labels in enumerate(breakdown.labels):
                by_value = dict(zip(names, labels, strict=True))
                for code, (category,) in enumerate(variable.labels):
                    totals.append(float(sums[code * n_cells + cell]))
                    text["statistic"].append(request.statistic)
                    text["variable"].append(request.variable)
                    text["category"].append(category)
                    for name in by_columns:
                        text[name].append(by_value.get(name, TOTAL_LEVEL))
    drawn = np.asarray(totals, dtype=np.float64)
    calibration = noisy.calibration
    n = len(drawn)
    out: dict[str, NDArray[Any]] = {
        name: np.asarray(values, dtype=object) for name, values in text.items()
    }
    out["estimate"] = np.maximum(drawn, 0.0)
    out["dp_total"] = drawn
    out["dp_mechanism"] = np.full(n, calibration.mechanism, dtype=object)
    out["dp_sampler"] = np.full(n, noisy.sampler, dtype=object)
    out["dp_epsilon"] = np.full(n, calibration.epsilon)
    out["dp_scale"] = np.full(n, calibration.scale)
    out["dp_weight_cap"] = np.full(n, calibration.weight_cap)
    return {name: out[name] for name in (*RESULT_HEAD, *by_columns, *PRIVATE_TAIL)}
