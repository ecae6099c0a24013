"""Weight trimming: keep survey weights within bounds and keep their total.

The rule (the one ``svy``'s ``Sample.weighting.trim(upper=…, lower=…, redistribute=True)``
applies, and the usual one in NSO practice; Potter 1990, *Proc. Survey Research Methods
Section*, ASA; Valliant, Dever & Kreuter 2018, §14.2):

1. The bounds are fixed once, from the positive weights as given: a number, ``K`` times
   their median or mean, or their ``p``-th percentile (NumPy's linear interpolation).
2. Repeat passes of two steps. Upper step: every positive weight above the upper bound ``U``
   is set to ``U``, and the weight removed is spread over the weights below ``U``, in
   proportion to their size (``w ← w · (1 + excess / Σ w)``). Lower step: every positive
   weight below the lower bound ``L`` is set to ``L``, and the weight added is taken from the
   weights above ``L`` in the same way. Either step keeps the total of the weights.
3. Stop after a pass that moved no weight to a bound (at most :data:`MAX_PASSES`).

With an upper bound only, a weight once capped stays at ``U`` and each pass caps at least one
more, so the passes end. Zero weights stay zero and take no share. A mean positive weight above
``U`` (or below ``L``) cannot keep the total within the bounds: refused (``trim_infeasible``).
Replicate weights, when given, are multiplied by each row's factor ``trimmed / original`` (as
``svy`` does), so replicate variances reflect the trimming.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from copcore.stats.columns import BoolArray, FloatArray
from copcore.stats.errors import InputError, OptionError

__all__ = ["MAX_PASSES", "TRIM_FORMS", "Trimming", "trim_bounds", "weights_trim"]

_BOUND = re.compile(
    r"^(?P<side>max|min)=(?:(?P<number>[0-9.eE+-]+)|(?P<k>[0-9.eE+-]+)\*(?P<stat>median|mean)"
    r"|p(?P<p>[0-9.]+))$"
)
TRIM_FORMS = "max=W, max=K*median, max=K*mean, max=pP, and min=… alike (comma-separated)"
MAX_PASSES = 1000


@dataclass(frozen=True)
class Trimming:
    """The trimmed weights (and replicates, ``None`` when there were none), the bounds
    (``None`` when not given), how many weights end at each, the passes made and the total."""

    weights: FloatArray
    replicates: FloatArray | None
    upper: float | None
    lower: float | None
    at_upper: int
    at_lower: int
    passes: int
    total: float


def trim_bounds(spec: str, weights: FloatArray) -> tuple[float | None, float | None]:
    """The ``(upper, lower)`` bounds ``spec`` names (``max=40``, ``max=3.5*median``,
    ``max=2*mean``, ``max=p99``, ``min=…`` alike, comma-separated), computed from the positive
    ``weights``. :class:`OptionError` for any other form, a bound that is not positive, a side
    given twice, or a lower bound not below the upper one."""
    positive = weights[weights > 0]
    found: dict[str, float] = {}
    for part in spec.replace(" ", "").split(","):
        match = _BOUND.match(part)
        value = _bound_value(match, positive) if match is not None else np.nan
        side = match["side"] if match is not None else ""
        if not (np.isfinite(value) and value > 0.0) or side in found:
            raise OptionError("option_invalid", option="--trim", value=spec, allowed=TRIM_FORMS)
        found[side] = value
    upper, lower = found.get("max"), found.get("min")
    if upper is not None and lower is not None and not lower < upper:
        raise OptionError("option_invalid", option="--trim", value=spec, allowed=TRIM_FORMS)
    return upper, lower


def _bound_value(match: re.Match[str], positive: FloatArray) -> float:
    if not len(positive):
        return np.nan
    try:
        if match["number"] is not None:
            return float(match["number"])
        if match["stat"] is not None:
            statistic = np.median if match["stat"] == "median" else np.mean
            return float(match["k"]) * float(statistic(positive))
        share = float(match["p"]) / 100.0
    except ValueError:
        return np.nan
    return float(np.quantile(positive, share)) if 0.0 < share <= 1.0 else np.nan


def weights_trim(
    weights: FloatArray,
    upper: float | None,
    lower: float | None = None,
    replicates: FloatArray | None = None,
) -> Trimming:
    """Keep ``weights`` within ``[lower, upper]`` and keep their total (the rule in the module
    docstring); ``replicates`` (n × R) are scaled by each row's factor.

    >>> result = weights_trim(np.array([1.0, 1.0, 1.0, 7.0]), 4.0)
    >>> result.weights.tolist(), result.passes
    ([2.0, 2.0, 2.0, 4.0], 1)
    """
    original = np.asarray(weights, dtype=np.float64)
    positive = original > 0
    total = float(original[positive].sum())
    count = int(positive.sum())
    mean = total / count if count else 0.0
    if count and upper is not None and mean > upper * (1.0 + 1e-12):
        raise InputError("trim_infeasible", side="max", bound=f"{upper:.6g}", mean=f"{mean:.6g}")
    if count and lower is not None and mean < lower * (1.0 - 1e-12):
        raise InputError("trim_infeasible", side="min", bound=f"{lower:.6g}", mean=f"{mean:.6g}")
    trimmed = original.copy()
    passes = 0
    for _ in range(MAX_PASSES):
        moved = False
        if upper is not None:
            moved |= _step(trimmed, positive, total, upper, above=True)
        if lower is not None:
            moved |= _step(trimmed, positive, total, lower, above=False)
        if not moved:
            break
        passes += 1
    else:
        raise InputError("trim_not_converged", passes=MAX_PASSES)
    adjusted = None
    if replicates is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(positive, trimmed / original, 1.0)
        adjusted = replicates * factor[:, None]
    return Trimming(
        weights=trimmed,
        replicates=adjusted,
        upper=upper,
        lower=lower,
        at_upper=0 if upper is None else int(np.count_nonzero(positive & (trimmed >= upper))),
        at_lower=0 if lower is None else int(np.count_nonzero(positive & (trimmed <= lower))),
        passes=passes,
        total=float(trimmed[positive].sum()),
    )


def _step(
    weights: FloatArray, positive: BoolArray, total: float, bound: float, *, above: bool
) -> bool:
    """One step in place: weights beyond ``bound`` set to it, the difference spread over the
    weights strictly inside it in proportion; whether any weight was moved."""
    beyond = positive & ((weights > bound) if above else (weights < bound))
    if not beyond.any():
        return False
    weights[beyond] = bound
    free = positive & ((weights < bound) if above else (weights > bound))
    if free.any():
        excess = total - float(weights[positive].sum())
        weights[free] *= 1.0 + excess / float(weights[free].sum())
    return True
