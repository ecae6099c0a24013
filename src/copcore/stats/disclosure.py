"""Statistical disclosure control of published cells: primary rules and complementary suppression.

Rule sets:

* ``none`` — publish everything.
* ``min-n:N`` — suppress cells with unweighted ``n < N``; empty cells (``n = 0``) included
  (threshold rules as in the UK Government Statistical Service guidance on tables).
* ``dhs`` — DHS practice: percentages on fewer than 25 unweighted cases suppressed, 25–49
  flagged ``n25-49`` (shown in parentheses in DHS reports; Croft et al. 2018, *Guide to DHS
  Statistics*, §1.5).
* ``nchs`` — the NCHS Data Presentation Standards for Proportions (Parker et al. 2017, *Vital
  Health Stat* 2(175)), in full (see :func:`nchs_proportions`): suppress when the effective
  sample size is below 30, when the Korn–Graubard CI's absolute width is 0.30 or more, or when
  the width is between 0.05 and 0.30 and the relative width (width / p) is above 130%; a shown
  proportion is flagged for statistical review when the design degrees of freedom are below 8,
  when it is 0 or 1, and when its complement ``1 - p`` would fail the relative-width criterion
  (width / (1 - p) above 130%: the complement "may be unreliable"). Means and totals, for which
  the standard does not speak, get ``n >= 30`` and the df flag.

Complementary (secondary) suppression then runs to a fixed point: within each breakdown of a
statistic, any line of cells that partitions a published total (every cell of a one-way
breakdown; each row and column of a cross-classification) and holds exactly one suppressed cell
gets its smallest other cell suppressed too; likewise the categories of a proportion within a
cell, which sum to 1 (Hundepool et al. 2012, *Statistical Disclosure Control*, §4.2).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from copcore.stats.ci import ci_korn_graubard
from copcore.stats.columns import BoolArray, FloatArray, IntArray
from copcore.stats.errors import OptionError
from copcore.stats.estimate import TOTAL_LEVEL, EstimateResult

RULES = ("none", "min-n:N", "dhs", "nchs")
ObjectArray = NDArray[np.object_]
_BLANKED = ("estimate", "se", "ci_low", "ci_high", "deff")


@dataclass(frozen=True)
class DisclosureRule:
    """A named rule set; ``min_n`` is the threshold of ``min-n:N``."""

    name: str
    min_n: int = 0

    @property
    def text(self) -> str:
        """The rule as written on the command line."""
        return f"min-n:{self.min_n}" if self.name == "min-n" else self.name


def disclosure_rule_parse(text: str) -> DisclosureRule:
    """Parse ``none``, ``min-n:N`` (N >= 1), ``dhs`` or ``nchs``."""
    value = text.strip().lower()
    if value in ("none", "dhs", "nchs"):
        return DisclosureRule(name=value)
    if value.startswith("min-n:"):
        number = value.removeprefix("min-n:")
        if number.isdigit() and int(number) >= 1:
            return DisclosureRule(name="min-n", min_n=int(number))
    raise OptionError("option_invalid", option="disclosure", value=text, allowed=", ".join(RULES))


def disclosure_primary(
    result: EstimateResult, rule: DisclosureRule
) -> tuple[np.ndarray, np.ndarray]:
    """Primary suppression mask and flags of each row under ``rule``."""
    columns = result.columns
    n = np.asarray(columns["n"], dtype=np.int64)
    rows = len(n)
    flags = np.array(["" for _ in range(rows)], dtype=object)
    if rule.name == "none":
        return np.zeros(rows, dtype=np.bool_), flags
    if rule.name == "min-n":
        suppressed = n < rule.min_n
        flags[suppressed] = f"n<{rule.min_n}"
        return suppressed, flags
    if rule.name == "dhs":
        suppressed = n < 25
        flags[suppressed] = "n<25"
        flags[(n >= 25) & (n < 50)] = "n25-49"
        return suppressed, flags
    return _nchs(result)


# Proportions within this distance of 0 or 1 are taken as 0 or 1 (as in the CI module).
_BOUNDARY = 1e-12


def nchs_proportions(
    p: FloatArray, se: FloatArray, width: FloatArray, n: IntArray, df: IntArray
) -> tuple[BoolArray, ObjectArray]:
    """The NCHS 2017 standard for proportions: which to suppress, and every row's flag.

    Parker et al. 2017, *NCHS Data Presentation Standards for Proportions*, Vital Health Stat
    2(175), and NCHS's own implementations of it (the ``KG_macro`` SAS program, the
    ``surveytable`` R package). ``width`` is the Korn–Graubard interval's absolute width.

    1. Sample size: the effective sample size ``n_eff = p (1 - p) / SE²``, at most ``n`` (and
       ``n`` itself at p = 0 or 1, or where the SE is undefined); ``n_eff < 30`` suppresses
       (flag ``neff<30``; ``n < 30`` is included since ``n_eff <= n``).
    2. Absolute CI width ``>= 0.30`` (or undefined) suppresses (``ciw>=0.30``).
    3. Relative CI width: when ``0.05 < width < 0.30``, ``width / p > 130%`` suppresses
       (``rciw>130%``). It is undefined at p = 0, where the criterion does not apply.
    4. Complementary proportion: a proportion shown although ``1 - p`` fails 3
       (``width / (1 - p) > 130%`` with ``0.05 < width < 0.30``) is shown with the flag
       ``rciw(1-p)>130%``: its complement may be unreliable.
    5. Statistical review of a shown proportion: ``df < 8`` (``df<8``) and p of 0 or 1
       (``p=0or1``).

    Suppressed rows carry their first failed criterion; shown rows every review flag that
    applies, joined by ``;``. Rows with ``n = 0`` or no estimate are suppressed (``n=0``).
    """
    boundary = (p <= _BOUNDARY) | (p >= 1.0 - _BOUNDARY)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw_n_eff = p * (1.0 - p) / (se * se)
        relative_p = np.where(p > _BOUNDARY, width / p, np.nan)
        relative_q = np.where(1.0 - p > _BOUNDARY, width / (1.0 - p), np.nan)
    undefined = boundary | ~np.isfinite(raw_n_eff)
    n_eff = np.where(undefined, n, np.minimum(n, raw_n_eff))
    middle = (width > 0.05) & (width < 0.30)
    criteria: list[tuple[BoolArray, str]] = [
        (~np.isfinite(p) | (n == 0), "n=0"),
        (n_eff < 30, "neff<30"),
        (~(width < 0.30), "ciw>=0.30"),
        (middle & (relative_p > 1.30), "rciw>130%"),
    ]
    suppressed = np.logical_or.reduce([failed for failed, _ in criteria])
    reviews: list[tuple[BoolArray, str]] = [
        (middle & (relative_q > 1.30), "rciw(1-p)>130%"),
        (df < 8, "df<8"),
        (boundary, "p=0or1"),
    ]
    flags = np.full(len(p), "", dtype=object)
    for i in np.flatnonzero(suppressed):
        flags[i] = next(reason for failed, reason in criteria if failed[i])
    for i in np.flatnonzero(~suppressed):
        flags[i] = ";".join(reason for flagged, reason in reviews if flagged[i])
    return np.asarray(suppressed, dtype=np.bool_), flags


def _nchs(result: EstimateResult) -> tuple[BoolArray, ObjectArray]:
    """The NCHS standard on proportions; ``n >= 30`` and the df flag on means and totals."""
    columns = result.columns
    n = np.asarray(columns["n"], dtype=np.int64)
    df = np.asarray(columns["df"], dtype=np.int64)
    p = np.asarray(columns["estimate"], dtype=np.float64)
    se = np.asarray(columns["se"], dtype=np.float64)
    is_prop = np.asarray(columns["statistic"] == "prop", dtype=np.bool_)
    low, high = ci_korn_graubard(p, se, df, n, result.level)
    suppressed, flags = nchs_proportions(p, se, high - low, n, df)
    other = ~is_prop
    unknown = ~np.isfinite(p) | (n == 0)
    suppressed[other] = (unknown | (n < 30))[other]
    for i in np.flatnonzero(other):
        if unknown[i]:
            flags[i] = "n=0"
        elif n[i] < 30:
            flags[i] = "n<30"
        else:
            flags[i] = "df<8" if df[i] < 8 else ""
    return suppressed, flags


def disclosure_apply(result: EstimateResult, rule: DisclosureRule) -> EstimateResult:
    """Apply ``rule`` (primary), then complementary suppression; blank suppressed cells.

    Suppressed rows keep ``n``, ``df`` and ``flag``; ``estimate``, ``se``, the CI and ``deff``
    become blank (NaN).
    """
    suppressed, flags = disclosure_primary(result, rule)
    if rule.name != "none":
        extra = complementary_suppression(result, suppressed)
        for i in np.flatnonzero(extra & ~suppressed):
            flags[i] = "complementary"
        suppressed = suppressed | extra
    columns = dict(result.columns)
    for name in _BLANKED:
        values = np.asarray(columns[name], dtype=np.float64).copy()
        values[suppressed] = np.nan
        columns[name] = values
    columns["suppressed"] = suppressed
    columns["flag"] = flags
    return replace(result, columns=columns, disclosure=rule.text)


def complementary_suppression(result: EstimateResult, primary: np.ndarray) -> np.ndarray:
    """Rows to suppress so that no primary-suppressed cell is recoverable (see module doc)."""
    columns = result.columns
    by = result.by_columns
    n = np.asarray(columns["n"], dtype=np.int64)
    suppressed = primary.copy()
    lines: list[list[int]] = []
    grouped: dict[tuple[object, ...], list[int]] = defaultdict(list)
    categories: dict[tuple[object, ...], list[int]] = defaultdict(list)
    statistic = columns["statistic"]
    variable = columns["variable"]
    category = columns["category"]
    by_values = [columns[name] for name in by]
    for i in range(len(n)):
        levels = tuple(values[i] for values in by_values)
        active = tuple(j for j, level in enumerate(levels) if level != TOTAL_LEVEL)
        base = (statistic[i], variable[i], category[i], active)
        if active:
            for free in active:
                fixed = tuple(levels[j] for j in active if j != free)
                grouped[(*base, free, fixed)].append(i)
        if statistic[i] == "prop":
            categories[(variable[i], levels)].append(i)
    lines.extend(grouped.values())
    lines.extend(categories.values())
    for _ in range(100):
        changed = False
        for line in lines:
            hidden = [i for i in line if suppressed[i]]
            if len(hidden) != 1 or len(line) < 2:
                continue
            shown = [i for i in line if not suppressed[i]]
            if not shown:
                continue
            pick = min(shown, key=lambda i: (n[i], i))
            suppressed[pick] = True
            changed = True
        if not changed:
            break
    return suppressed
