"""Statistical disclosure control of published cells: primary rules and complementary suppression.

Rule sets:

* ``none`` — publish everything.
* ``min-n:N`` — suppress cells with unweighted ``n < N``; empty cells (``n = 0``) included
  (threshold rules as in the UK Government Statistical Service guidance on tables).
* ``dhs`` — DHS practice: percentages on fewer than 25 unweighted cases suppressed, 25–49
  flagged ``n25-49`` (shown in parentheses in DHS reports; Croft et al. 2018, *Guide to DHS
  Statistics*, §1.5).
* ``nchs`` — the NCHS Data Presentation Standards for Proportions (Parker et al. 2017, *Vital
  Health Stat* 2(175)): suppress when the effective sample size is below 30, when the
  Korn–Graubard CI's absolute width is 0.30 or more, or when the absolute width is above 0.05
  and the relative width (width / p) above 130%; flag for statistical review when the design
  degrees of freedom are below 8 or the estimate is 0 or 1. The effective sample size is
  ``min(n, p (1 - p) / SE²)`` (``n`` at p = 0 or 1), i.e. ``n / deff`` with deff floored at 1.
  Means and totals, for which the standard does not speak, get ``n >= 30`` and the df flag.

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

from copcore.stats.ci import ci_korn_graubard
from copcore.stats.errors import OptionError
from copcore.stats.estimate import TOTAL_LEVEL, EstimateResult

RULES = ("none", "min-n:N", "dhs", "nchs")
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


def _nchs(result: EstimateResult) -> tuple[np.ndarray, np.ndarray]:
    columns = result.columns
    n = np.asarray(columns["n"], dtype=np.int64)
    df = np.asarray(columns["df"], dtype=np.int64)
    p = np.asarray(columns["estimate"], dtype=np.float64)
    se = np.asarray(columns["se"], dtype=np.float64)
    is_prop = np.asarray(columns["statistic"] == "prop", dtype=np.bool_)
    flags = np.array(["" for _ in range(len(n))], dtype=object)
    low, high = ci_korn_graubard(p, se, df, n, result.level)
    width = high - low
    boundary = (p <= 1e-12) | (p >= 1.0 - 1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = np.where(boundary, n, np.minimum(n, p * (1.0 - p) / (se * se)))
        relative = np.where(p > 0, width / p, np.inf)
    unknown = ~np.isfinite(p) | (n == 0)
    small = n_eff < 30
    wide = ~(width < 0.30)
    relative_wide = (width > 0.05) & (relative > 1.30)
    prop_suppressed = unknown | small | wide | relative_wide
    other_suppressed = unknown | (n < 30)
    suppressed = np.where(is_prop, prop_suppressed, other_suppressed)
    reasons = [
        (unknown, "n=0"),
        (small & is_prop, "neff<30"),
        ((n < 30) & ~is_prop, "n<30"),
        (wide & is_prop & ~small, "ciw>=0.30"),
        (relative_wide & is_prop & ~wide & ~small, "rciw>130%"),
    ]
    for mask, reason in reasons:
        for i in np.flatnonzero(mask & (flags == "")):
            flags[i] = reason
    review = ~suppressed & ((df < 8) | (is_prop & boundary))
    for i in np.flatnonzero(review):
        flags[i] = "df<8" if df[i] < 8 else "p=0or1"
    return np.asarray(suppressed, dtype=np.bool_), flags


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
