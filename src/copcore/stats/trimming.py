"""Weight trimming: cap extreme survey weights and keep their total.

The rule (the one ``svy``'s ``Sample.weighting.trim(upper=…, redistribute=True)`` applies, and
the usual one in NSO practice; Potter 1990, *Proc. Survey Research Methods Section*, ASA;
Valliant, Dever & Kreuter 2018, §14.2):

1. The cap ``U`` is fixed once, from the positive weights as given: a number, ``K`` times
   their median or mean, or their ``p``-th percentile (NumPy's linear interpolation).
2. Repeat: every positive weight above ``U`` is set to ``U``; the weight removed is spread
   over the weights never capped so far, in proportion to their size
   (``w ← w · (1 + excess / Σ w)``), which keeps the total of the weights.
3. Stop when no weight is above ``U``. Each pass caps at least one more weight, so this ends
   after at most as many passes as there are weights.

Zero weights stay zero and take no share. When the mean positive weight is above ``U`` the
total cannot be kept with every weight at most ``U``: refused (``trim_infeasible``).
Replicate weights, when given, are multiplied by each row's factor ``trimmed / original``
(as ``svy`` does), so replicate variances reflect the trimming.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from copcore.stats.columns import FloatArray
from copcore.stats.errors import InputError, OptionError

__all__ = ["Trimming", "trim_cap", "weights_trim"]

_SPEC = re.compile(
    r"^max=(?:(?P<number>[0-9.eE+-]+)|(?P<k>[0-9.eE+-]+)\*(?P<stat>median|mean)|p(?P<p>[0-9.]+))$"
)
TRIM_FORMS = "max=W, max=K*median, max=K*mean, max=pP"


@dataclass(frozen=True)
class Trimming:
    """The trimmed weights (and replicates, ``None`` when there were none), the cap, how
    many weights end at it, the passes made and the total kept."""

    weights: FloatArray
    replicates: FloatArray | None
    cap: float
    capped: int
    passes: int
    total: float


def trim_cap(spec: str, weights: FloatArray) -> float:
    """The cap ``spec`` names (``max=40``, ``max=3.5*median``, ``max=2*mean``, ``max=p99``),
    computed from the positive ``weights``. :class:`OptionError` for any other form or a cap
    that is not positive."""
    match = _SPEC.match(spec.strip().replace(" ", ""))
    positive = weights[weights > 0]
    cap = np.nan
    try:
        if match is None or not len(positive):
            pass
        elif match["number"] is not None:
            cap = float(match["number"])
        elif match["stat"] is not None:
            statistic = np.median if match["stat"] == "median" else np.mean
            cap = float(match["k"]) * float(statistic(positive))
        elif 0.0 < float(match["p"]) <= 100.0:
            cap = float(np.quantile(positive, float(match["p"]) / 100.0))
    except ValueError:
        cap = np.nan
    if not (np.isfinite(cap) and cap > 0.0):
        raise OptionError("option_invalid", option="--trim", value=spec, allowed=TRIM_FORMS)
    return cap


def weights_trim(weights: FloatArray, cap: float, replicates: FloatArray | None = None) -> Trimming:
    """Cap ``weights`` at ``cap`` keeping their total (the rule in the module docstring);
    ``replicates`` (n × R) are scaled by each row's factor.

    >>> result = weights_trim(np.array([1.0, 1.0, 1.0, 7.0]), 4.0)
    >>> result.weights.tolist(), result.passes
    ([2.0, 2.0, 2.0, 4.0], 1)
    """
    original = np.asarray(weights, dtype=np.float64)
    positive = original > 0
    total = float(original[positive].sum())
    count = int(positive.sum())
    if count and total / count > cap * (1.0 + 1e-12):
        raise InputError("trim_infeasible", cap=f"{cap:.6g}", mean=f"{total / count:.6g}")
    trimmed = original.copy()
    capped = np.zeros(len(trimmed), dtype=np.bool_)
    passes = 0
    while True:
        over = positive & (trimmed > cap)
        if not over.any():
            break
        passes += 1
        trimmed[over] = cap
        capped |= over
        free = positive & ~capped
        excess = total - float(trimmed[positive].sum())
        if free.any():
            trimmed[free] *= 1.0 + excess / float(trimmed[free].sum())
    adjusted = None
    if replicates is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(positive, trimmed / original, 1.0)
        adjusted = replicates * factor[:, None]
    return Trimming(
        weights=trimmed,
        replicates=adjusted,
        cap=cap,
        capped=int(np.count_nonzero(positive & (trimmed >= cap))),
        passes=passes,
        total=float(trimmed[positive].sum()),
    )
