"""Confidence intervals on design degrees of freedom (vectorised; NaN where undefined).

All intervals use Student's t with the design degrees of freedom (Korn & Graubard 1999 §5.2),
and are NaN where ``df <= 0``, as in R ``survey`` and ``svy``.
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np

from copcore.stats.columns import FloatArray, IntArray
from copcore.stats.errors import OptionError

CiMethod = Literal["logit", "korn-graubard", "wald"]
CI_METHODS: tuple[str, ...] = get_args(CiMethod)

# Proportions within this distance of 0 or 1 are treated as boundary values (as svy does).
_BOUNDARY = 1e-12


def ci_method_parse(value: str) -> CiMethod:
    """Check a CI method name; :class:`OptionError` ``option_invalid`` otherwise."""
    for method in get_args(CiMethod):
        if value == method:
            return method  # type: ignore[no-any-return]
    raise OptionError("option_invalid", option="ci", value=value, allowed=", ".join(CI_METHODS))


def level_parse(value: float) -> float:
    """Check a confidence level in (0, 1)."""
    if not 0.0 < value < 1.0:
        raise OptionError("option_invalid", option="level", value=str(value), allowed="(0, 1)")
    return value


def t_quantile(level: float, df: IntArray | FloatArray) -> FloatArray:
    """Two-sided Student t critical value ``t_{df, 1-(1-level)/2}``; NaN where ``df <= 0``."""
    from scipy import special  # here: importing it costs a second to commands that need no CI

    dfs = np.asarray(df, dtype=np.float64)
    positive = dfs > 0
    quantile = special.stdtrit(np.where(positive, dfs, 1.0), 0.5 + level / 2.0)
    return np.asarray(np.where(positive, quantile, np.nan), dtype=np.float64)


def ci_wald(
    estimate: FloatArray, se: FloatArray, df: IntArray, level: float
) -> tuple[FloatArray, FloatArray]:
    """Symmetric interval ``estimate ± t_df · se`` (means, totals; proportions on request)."""
    half = t_quantile(level, df) * se
    return estimate - half, estimate + half


def ci_logit(
    p: FloatArray, se: FloatArray, df: IntArray, level: float
) -> tuple[FloatArray, FloatArray]:
    """Logit-transformed interval for a proportion, back-transformed.

    ``logit(p) ± t_df · se / (p (1 - p))`` (Korn & Graubard 1999 §5.2; R ``svyciprop``
    ``method="logit"``). Undefined (NaN) at ``p`` of 0 or 1; ``(p, p)`` when ``se`` is 0.
    """
    from scipy import special

    t = t_quantile(level, df)
    low = np.full(p.shape, np.nan)
    high = np.full(p.shape, np.nan)
    interior = (df > 0) & (p > _BOUNDARY) & (p < 1.0 - _BOUNDARY) & np.isfinite(se)
    point = interior & (se <= _BOUNDARY)
    low[point] = p[point]
    high[point] = p[point]
    valid = interior & ~point
    pv = p[valid]
    scale = se[valid] / (pv * (1.0 - pv))
    centre = np.log(pv / (1.0 - pv))
    low[valid] = special.expit(centre - t[valid] * scale)
    high[valid] = special.expit(centre + t[valid] * scale)
    return low, high


def effective_n_korn_graubard(
    p: FloatArray, se: FloatArray, df: IntArray, n: IntArray, level: float
) -> FloatArray:
    """Degrees-of-freedom-adjusted effective sample size, truncated at ``n``.

    ``n_eff = p (1 - p) / se²`` (Korn & Graubard 1998 eq. 2.1), times
    ``(t_{n-1} / t_df)²`` (eq. 2.2), and at most ``n`` (Parker et al. 2017, NCHS Data
    Presentation Standards for Proportions, Vital Health Stat 2(175), p. 4). At ``p`` of 0 or 1
    the design effect is taken as 1 (``n_eff = n``).
    """
    nf = n.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(
            (p > _BOUNDARY) & (p < 1.0 - _BOUNDARY) & (se > _BOUNDARY),
            p * (1.0 - p) / (se * se),
            nf,
        )
        adjust = np.where(
            nf > 1,
            (t_quantile(level, n - 1) / t_quantile(level, df)) ** 2,
            1.0,
        )
    return np.asarray(np.minimum(nf, raw * adjust), dtype=np.float64)


def ci_korn_graubard(
    p: FloatArray, se: FloatArray, df: IntArray, n: IntArray, level: float
) -> tuple[FloatArray, FloatArray]:
    """Korn–Graubard (Clopper–Pearson on the df-adjusted effective n) interval.

    Korn & Graubard 1998, Survey Methodology 24(2):193–201, eqs. 1.2, 2.1, 2.2, with the NCHS
    truncation of the effective n at the sample size (Parker et al. 2017; the NCHS SAS macro
    ``KG_macro.sas``): with ``x = n_eff · p``, the lower limit is the ``alpha/2`` quantile of
    Beta(x, n_eff - x + 1) and the upper the ``1 - alpha/2`` quantile of Beta(x + 1, n_eff - x).
    """
    from scipy import special

    alpha = 1.0 - level
    n_eff = effective_n_korn_graubard(p, se, df, n, level)
    low = np.full(p.shape, np.nan)
    high = np.full(p.shape, np.nan)
    ok = (df > 0) & np.isfinite(p) & (n_eff > 0)
    x = n_eff * np.where(p <= _BOUNDARY, 0.0, np.where(p >= 1.0 - _BOUNDARY, 1.0, p))
    has_low = ok & (x > 0)
    has_high = ok & (n_eff - x > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Beta quantiles through the inverse regularised incomplete beta function.
        low_value = special.betaincinv(x, n_eff - x + 1.0, alpha / 2.0)
        high_value = special.betaincinv(x + 1.0, n_eff - x, 1.0 - alpha / 2.0)
    low = np.where(has_low, low_value, np.where(ok, 0.0, np.nan))
    high = np.where(has_high, high_value, np.where(ok, 1.0, np.nan))
    point = ok & (p > _BOUNDARY) & (p < 1.0 - _BOUNDARY) & (se <= _BOUNDARY)
    low = np.where(point, p, low)
    high = np.where(point, p, high)
    return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)
