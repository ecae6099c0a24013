"""What ``estimate`` is asked for, and the kernel columns each request becomes.

A :class:`Request` names a statistic and its column(s); :func:`request_columns` turns the
requests into the reduction kernel's input (:mod:`copcore.stats.variance`): numerator columns
(NaN or 0 outside the universe), the distinct denominators (0/1 universe masks, or a ratio's
denominator values, NaN outside its universe) and, per numerator, its denominator and whether
it is 0/1. Centring keeps the kernel's power sums well conditioned; the centre is added back
to the estimate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np

from copcore.stats.columns import (
    BoolArray,
    Factor,
    FloatArray,
    Table,
    column_get,
    factorize,
    numeric_column,
)
from copcore.stats.errors import InputError, OptionError

__all__ = [
    "STATISTICS",
    "KernelColumn",
    "KernelInput",
    "Request",
    "Statistic",
    "ratio_request",
    "request_columns",
    "request_parse",
]

Statistic = Literal["prop", "mean", "total", "ratio"]
STATISTICS: tuple[str, ...] = get_args(Statistic)


@dataclass(frozen=True)
class Request:
    """One requested statistic: ``prop`` (a row per category), ``mean``, ``total``, or
    ``ratio`` of ``variable`` (the numerator) to ``denominator``."""

    statistic: Statistic
    variable: str
    denominator: str = ""

    @property
    def label(self) -> str:
        """The result table's ``variable``: the column, or ``NUM/DEN`` for a ratio."""
        return f"{self.variable}/{self.denominator}" if self.statistic == "ratio" else self.variable

    @property
    def columns(self) -> tuple[str, ...]:
        """The data columns the request reads."""
        return (self.variable, self.denominator) if self.statistic == "ratio" else (self.variable,)


def ratio_request(spec: str) -> Request:
    """``NUM/DEN`` as a ratio :class:`Request` (one ``/``, a column on each side)."""
    numerator, slash, denominator = spec.partition("/")
    numerator, denominator = numerator.strip(), denominator.strip()
    if not slash or not numerator or not denominator or "/" in denominator:
        raise OptionError("option_invalid", option="--ratio", value=spec, allowed="NUM/DEN")
    return Request("ratio", numerator, denominator)


def request_parse(statistic: str, variable: str) -> Request:
    """Build a :class:`Request`, checking the statistic name (``ratio``: ``NUM/DEN``)."""
    if statistic == "ratio":
        return ratio_request(variable)
    for known in get_args(Statistic):
        if statistic == known:
            return Request(statistic=known, variable=variable)
    raise OptionError(
        "option_invalid", option="statistic", value=statistic, allowed=", ".join(STATISTICS)
    )


@dataclass(frozen=True)
class KernelColumn:
    """One kernel column: which request and category it serves."""

    request: int
    category: str
    total: bool
    centre: float
    complement_of: int = -1  # for a two-level prop: the other level's column


@dataclass
class KernelInput:
    """Kernel input being built: numerator columns (NaN or 0 outside the universe), distinct
    denominators (universe masks; a ratio's denominator values, NaN outside its universe,
    marked ``general``), and for each numerator its denominator and whether it is 0/1."""

    numerators: list[FloatArray]
    den_keys: dict[bytes, int]
    dens: list[BoolArray | FloatArray]
    general: list[bool]
    den_index: list[int]
    columns: list[KernelColumn]
    binary: list[bool]


def _add_denominator(mats: KernelInput, valid: BoolArray | FloatArray) -> int:
    general = valid.dtype != np.bool_
    key = b"v" + valid.tobytes() if general else np.packbits(valid != 0).tobytes()
    if key not in mats.den_keys:
        mats.den_keys[key] = len(mats.dens)
        mats.dens.append(valid)
        mats.general.append(general)
    return mats.den_keys[key]


def _ratio_columns(table: Table, request: Request, index: int, mats: KernelInput) -> None:
    """A ratio estimator ``sum w y / sum w x`` over the rows where both are given."""
    y = numeric_column(table, request.variable, code="ratio_not_numeric")
    x = numeric_column(table, request.denominator, code="ratio_not_numeric")
    valid = ~np.isnan(y) & ~np.isnan(x)
    if not valid.any():
        raise InputError("no_valid_values", column=request.label)
    den = _add_denominator(mats, np.where(valid, x, np.nan))
    # Centring y by c·x (c the unweighted ratio) shifts the ratio by exactly c and leaves its
    # linearised value y - R x unchanged; it keeps the element kernel's power sums (w²y²,
    # w²xy, w²x²) well conditioned when y is nearly proportional to x.
    x_sum = float(x[valid].sum())
    centre = float(y[valid].sum()) / x_sum if x_sum != 0.0 else 0.0
    mats.numerators.append(np.where(valid, y - centre * x, np.nan))
    mats.den_index.append(den)
    mats.binary.append(False)
    mats.columns.append(KernelColumn(index, "", total=False, centre=centre))


def request_columns(table: Table, requests: Sequence[Request], mats: KernelInput) -> None:
    for index, request in enumerate(requests):
        if request.statistic == "ratio":
            _ratio_columns(table, request, index, mats)
            continue
        if request.statistic == "prop" and _prop_binary(table, request, index, mats):
            continue
        if request.statistic == "prop":
            factor = factorize(column_get(table, request.variable))
            valid = factor.codes >= 0
            if not valid.any():
                raise InputError("no_valid_values", column=request.variable)
            den = _add_denominator(mats, valid)
            levels = factor.levels
            if len(levels) == 2:
                mats.numerators.append((factor.codes == 1).astype(np.float64))
                mats.den_index.append(den)
                mats.binary.append(True)
                mats.columns.append(KernelColumn(index, levels[1], total=False, centre=0.0))
                # The first level's row is 1 - p with the same SE: no kernel column needed.
                mats.columns.append(
                    KernelColumn(index, levels[0], total=False, centre=0.0, complement_of=-2)
                )
                continue
            for code, level in enumerate(levels):
                mats.numerators.append((factor.codes == code).astype(np.float64))
                mats.den_index.append(den)
                mats.binary.append(True)
                mats.columns.append(KernelColumn(index, level, total=False, centre=0.0))
            continue
        values = numeric_column(table, request.variable, code="value_not_numeric")
        valid = ~np.isnan(values)
        if not valid.any():
            raise InputError("no_valid_values", column=request.variable)
        den = _add_denominator(mats, valid)
        total = request.statistic == "total"
        present = values[valid]
        binary = bool(np.all((present == 0.0) | (present == 1.0)))
        # Centring a mean's variable leaves its variance unchanged and keeps the
        # power sums of the element kernel well conditioned.
        centre = 0.0 if (total or binary) else float(present.mean())
        mats.numerators.append(values - centre if centre else values)
        mats.den_index.append(den)
        mats.binary.append(binary and centre == 0.0)
        mats.columns.append(KernelColumn(index, "", total=total, centre=centre))


def _prop_binary(table: Table, request: Request, index: int, mats: KernelInput) -> bool:
    """Fast path for a 0/1 numeric item: no factorising, no copy, one kernel column.

    The column itself is the numerator (NaN, outside the universe, counts as 0 in the
    kernel); a few counting passes replace building masks of every value.
    """
    values = column_get(table, request.variable)
    if isinstance(values, Factor) or values.dtype.kind != "f":
        return False
    valid = ~np.isnan(values)
    n_valid = int(np.count_nonzero(valid))
    n_ones = int(np.count_nonzero(values == 1.0))
    n_zeros = int(np.count_nonzero(values == 0.0))
    if n_ones + n_zeros != n_valid:
        return False
    if not n_valid:
        raise InputError("no_valid_values", column=request.variable)
    den = _add_denominator(mats, valid)
    mats.numerators.append(values if n_ones else valid.astype(np.float64))
    mats.den_index.append(den)
    mats.binary.append(True)
    mats.columns.append(KernelColumn(index, "1" if n_ones else "0", total=False, centre=0.0))
    if n_ones and n_zeros:
        mats.columns.append(KernelColumn(index, "0", total=False, centre=0.0, complement_of=-2))
    return True
