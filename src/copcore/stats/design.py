"""Sampling designs: declaration (:class:`Design`) and validated preparation for estimation.

Stratified multi-stage designs are handled by the ultimate-cluster approximation: the variance is
computed from first-stage (PSU) totals, PSUs treated as drawn with replacement within strata
unless a finite-population correction is given (Wolter 2007 §1.4 and §6; Cochran 1977 §11.8;
Korn & Graubard 1999 §2.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np

from copcore.stats.columns import (
    BoolArray,
    FloatArray,
    IntArray,
    Table,
    column_get,
    factorize,
    missing_mask,
    numeric_column,
    table_length,
)
from copcore.stats.errors import DesignError, InputError, OptionError

SingletonRule = Literal["fail", "certainty", "scale", "center"]
SINGLETON_RULES: tuple[str, ...] = get_args(SingletonRule)
RepMethod = Literal["brr", "fay", "jk1", "jkn", "bootstrap", "sdr"]
REP_METHODS: tuple[str, ...] = get_args(RepMethod)
RepCenter = Literal["estimate", "mean"]
REP_CENTERS: tuple[str, ...] = get_args(RepCenter)


@dataclass(frozen=True)
class Replicates:
    """Replicate weights supplied with the data (see :mod:`copcore.stats.replication`).

    ``columns`` names the replicate weight columns in order; a single entry ending without a
    digit is a prefix instead: ``("brr_",)`` means ``brr_1 … brr_k`` in numeric order.
    ``method`` sets the default multiplier of the squared deviations: ``brr`` 1/R, ``fay``
    1/(R(1-ρ)²) with ``fay`` = ρ, ``jk1`` (R-1)/R, ``jkn`` none (give ``multipliers``, or the
    design's strata and PSUs, from which each replicate's (n_h-1)/n_h is derived),
    ``bootstrap`` 1/R, ``sdr`` 4/R. ``multipliers`` replaces it: one value for every
    replicate (Stata's ``multiplier``) or one per replicate. ``center="estimate"`` takes
    deviations from the full-sample estimate (the mean squared error form, Stata's ``mse``);
    ``"mean"`` from the mean of the replicate estimates. ``df`` defaults to R - 1.
    """

    columns: tuple[str, ...]
    method: RepMethod
    fay: float = 0.0
    multipliers: tuple[float, ...] | None = None
    df: int | None = None
    center: RepCenter = "estimate"


@dataclass(frozen=True)
class Design:
    """Column names of the design; ``None`` where the design has no such part.

    No options at all = simple random sampling with equal weights; ``weight`` only = SRS with
    weights. ``fpc`` holds either PSU population sizes per stratum (values > 1, constant within a
    stratum) or sampling fractions (all values in (0, 1]), as in R ``survey::svydesign``.

    PSUs are nested in strata: a PSU is identified by its stratum and its code, so surveys that
    number PSUs 1, 2, … within each stratum (nhanes2, DHS) need no recoding — Stata's default,
    R's ``svydesign(nest = TRUE)``. ``psu_unique=True`` asks for codes that identify a PSU on
    their own, and refuses a code that appears in two strata.
    """

    weight: str | None = None
    strata: str | None = None
    psu: str | None = None
    fpc: str | None = None
    psu_unique: bool = False
    replicates: Replicates | None = None

    @property
    def variance(self) -> str:
        """``replication`` with replicate weights, else ``taylor``."""
        return "taylor" if self.replicates is None else "replication"

    @property
    def psu_nesting(self) -> str:
        """``nested``, ``unique`` or ``none`` (no PSU column: each row is its own PSU)."""
        if self.psu is None:
            return "none"
        return "unique" if self.psu_unique else "nested"


@dataclass(frozen=True)
class PreparedDesign:
    """A validated design, coded for the reduction kernel.

    ``psu`` numbers PSUs 0..P-1 in stratum order (``psu_stratum`` is non-decreasing); it is
    ``None`` when the design has no PSU column, each row being its own PSU. ``stratum_factor``
    is ``(1 - f_h) n_h / (n_h - 1)`` for strata with two PSUs or more and ``1 - f_h`` for
    singletons, whose contribution depends on ``singleton``.
    """

    n_rows: int
    weights: FloatArray
    stratum: IntArray
    psu: IntArray | None
    psu_stratum: IntArray
    n_strata: int
    stratum_n_psu: IntArray
    stratum_factor: FloatArray
    singleton_mask: BoolArray
    singleton: SingletonRule
    strata_levels: tuple[str, ...]

    @property
    def n_psu(self) -> int:
        """Number of PSUs (rows, for a design without PSUs)."""
        return len(self.psu_stratum)


def singleton_rule_parse(value: str) -> SingletonRule:
    """Check a singleton rule name; :class:`OptionError` ``option_invalid`` otherwise."""
    for rule in get_args(SingletonRule):
        if value == rule:
            return rule  # type: ignore[no-any-return]
    raise OptionError(
        "option_invalid", option="singleton", value=value, allowed=", ".join(SINGLETON_RULES)
    )


def design_weights(table: Table, design: Design) -> FloatArray:
    """Validated weights: numeric, present and strictly positive (1.0 for every row if none)."""
    n_rows = table_length(table)
    if design.weight is None:
        return np.ones(n_rows, dtype=np.float64)
    weights = numeric_column(table, design.weight, code="weight_not_numeric")
    missing = np.isnan(weights)
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise InputError("weight_missing", column=design.weight, row=row + 1)
    bad = weights <= 0
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(
            "weight_not_positive", column=design.weight, row=row + 1, value=float(weights[row])
        )
    infinite = ~np.isfinite(weights)
    if infinite.any():
        row = int(np.flatnonzero(infinite)[0])
        raise InputError("weight_not_numeric", column=design.weight, row=row + 1, value="inf")
    return weights


def _design_codes(table: Table, column: str) -> tuple[IntArray, tuple[str, ...]]:
    values = column_get(table, column)
    missing = missing_mask(values)
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise InputError("design_value_missing", column=column, row=row + 1)
    factor = factorize(values)
    return factor.codes, factor.levels


def design_prepare(table: Table, design: Design, singleton: str = "fail") -> PreparedDesign:
    """Validate ``design`` against ``table`` and code it for :mod:`copcore.stats.variance`.

    Raises :class:`InputError` (missing column, non-numeric, missing or non-positive weight,
    missing stratum or PSU) or :class:`DesignError` (a PSU code in two strata under
    ``psu_unique``; a stratum with one PSU under ``singleton="fail"``; an inconsistent FPC).
    """
    rule = singleton_rule_parse(singleton)
    n_rows = table_length(table)
    weights = design_weights(table, design)
    if design.strata is not None:
        stratum, strata_levels = _design_codes(table, design.strata)
    else:
        stratum, strata_levels = np.zeros(n_rows, dtype=np.int64), ("_T",)
    n_strata = max(len(strata_levels), 1)

    psu: IntArray | None
    if design.psu is not None:
        psu_raw, psu_levels = _design_codes(table, design.psu)
        if not design.psu_unique:
            psu_raw, psu_levels = _nested(stratum, psu_raw, psu_levels)
        first_row = np.full(len(psu_levels), -1, dtype=np.int64)
        # Reversed assignment leaves each PSU's first row in place.
        first_row[psu_raw[::-1]] = np.arange(n_rows - 1, -1, -1, dtype=np.int64)
        home = stratum[first_row]
        moved = stratum != home[psu_raw]
        if moved.any():
            row = int(np.flatnonzero(moved)[0])
            strata_name = design.strata or ""
            raise DesignError(
                "psu_in_two_strata",
                column=design.psu,
                strata=strata_name,
                psu=psu_levels[int(psu_raw[row])],
                row=row + 1,
                first_row=int(first_row[psu_raw[row]]) + 1,
            )
        # Renumber PSUs so that they run in stratum order.
        order = np.lexsort((np.arange(len(psu_levels)), home))
        renumber = np.empty(len(psu_levels), dtype=np.int64)
        renumber[order] = np.arange(len(psu_levels), dtype=np.int64)
        psu = renumber[psu_raw]
        psu_stratum = home[order]
    else:
        psu = None
        psu_stratum = np.sort(stratum)
    stratum_n_psu = np.bincount(psu_stratum, minlength=n_strata).astype(np.int64)
    singleton_mask = stratum_n_psu == 1
    if rule == "fail" and singleton_mask.any():
        lonely = int(np.flatnonzero(singleton_mask)[0])
        raise DesignError(
            "stratum_singleton",
            column=design.strata or "",
            stratum=strata_levels[lonely],
        )
    keep = _fpc_keep(table, design, stratum, stratum_n_psu, strata_levels)
    n_h = stratum_n_psu.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n_h > 1, n_h / (n_h - 1.0), 1.0)
    return PreparedDesign(
        n_rows=n_rows,
        weights=weights,
        stratum=stratum,
        psu=psu,
        psu_stratum=psu_stratum,
        n_strata=n_strata,
        stratum_n_psu=stratum_n_psu,
        stratum_factor=keep * scale,
        singleton_mask=singleton_mask,
        singleton=rule,
        strata_levels=strata_levels,
    )


def _nested(
    stratum: IntArray, psu_raw: IntArray, psu_levels: tuple[str, ...]
) -> tuple[IntArray, tuple[str, ...]]:
    """PSU codes numbered within strata made into one code per (stratum, PSU) pair."""
    pairs = stratum * len(psu_levels) + psu_raw
    distinct, codes = np.unique(pairs, return_inverse=True)
    levels = tuple(psu_levels[int(p)] for p in distinct % len(psu_levels))
    return codes.astype(np.int64, copy=False), levels


def _fpc_keep(
    table: Table,
    design: Design,
    stratum: IntArray,
    stratum_n_psu: IntArray,
    strata_levels: tuple[str, ...],
) -> FloatArray:
    """Per stratum ``1 - f_h``: 1 without FPC; from fractions or population sizes otherwise."""
    n_strata = len(stratum_n_psu)
    if design.fpc is None:
        return np.ones(n_strata, dtype=np.float64)
    fpc = numeric_column(table, design.fpc, code="fpc_invalid")
    bad = np.isnan(fpc) | (fpc <= 0) | ~np.isfinite(fpc)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise DesignError("fpc_invalid", column=design.fpc, row=row + 1, value=str(fpc[row]))
    low = np.full(n_strata, np.inf)
    high = np.full(n_strata, -np.inf)
    np.minimum.at(low, stratum, fpc)
    np.maximum.at(high, stratum, fpc)
    varies = low != high
    if varies.any():
        h = int(np.flatnonzero(varies)[0])
        raise DesignError("fpc_not_constant", column=design.fpc, stratum=strata_levels[h])
    if bool(np.all(fpc <= 1.0)):
        return np.asarray(1.0 - low, dtype=np.float64)
    short = low < stratum_n_psu
    if short.any():
        h = int(np.flatnonzero(short)[0])
        raise DesignError(
            "fpc_below_sample",
            column=design.fpc,
            stratum=strata_levels[h],
            population=float(low[h]),
            sample=int(stratum_n_psu[h]),
        )
    return np.asarray(1.0 - stratum_n_psu / low, dtype=np.float64)
