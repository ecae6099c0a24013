"""A tabulation audits its own suppressions (:mod:`copcore.stats.audit`), and suppresses more
cells until every suppressed cell is protected.

What is protected: each cell's weighted numerator total ``Y = Σ w y`` (the weighted count of
"yes" for a proportion, the weighted sum for a mean or total). The attacker is assumed to know
each cell's population (survey weights are calibrated to census counts, so a proportion is as
good as its weighted count) and sees every published row, including the unweighted ``n`` that
suppressed rows keep. The relations tying the cells of one country's indicator together:

- each breakdown's cells add up to the total row: exactly when their ``n`` add up to the
  total's ``n`` (every row of the universe is in a cell), otherwise at most to it;
- nested age breakdowns: a band equals the sum of the cells of a finer breakdown of the same
  age variable that tile it exactly (single years, or narrower bands), cells not published
  being empty.

The second kind is what complementary suppression line by line leaves open: single year 9
suppressed with a complement among the single years, yet the band 9–10 published beside year
10 gives year 9 exactly. The audit solves, for every suppressed cell, the smallest and largest
``Y`` consistent with all of this (linear programming, SciPy's HiGHS) and calls the cell
protected when the interval reaches ``Y(1 − P)`` and ``Y(1 + P)``. For a failing cell the
smallest published cell sharing a relation with it (a breakdown cell before a total or a band
that holds others) is suppressed too (flag ``audit``), and the audit runs again. Medians (not
additive) and indicators with negative values are not audited.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from copcore.stats.audit import Relation, cells_audit
from copcore.stats.framework import Framework
from copcore.stats.tabulate.cells import TOTAL

AUDIT_VALUE = "_numerator_total"
AUDIT_FLAG = "audit"
_BLANKED = ("estimate", "se", "ci_low", "ci_high", "deff")


@dataclass(frozen=True)
class AuditReport:
    """How the audit ended: suppressed cells audited, cells it added, cells left unprotected
    (none unless no published cell could be added)."""

    protection: float
    audited: int
    added: int
    unprotected: int

    def metadata(self) -> dict[str, str]:
        """The report as the tabulation's metadata."""
        return {
            "audit_protection": f"{self.protection:g}",
            "audit_suppressed_cells": str(self.audited),
            "audit_added": str(self.added),
            "audit_unprotected": str(self.unprotected),
        }


def tabulation_audit(
    columns: dict[str, NDArray[Any]], framework: Framework, protection: float
) -> tuple[dict[str, NDArray[Any]], AuditReport]:
    """Audit every country's indicators and suppress more cells until each passes; returns the
    columns (suppressions added, flagged ``audit``, estimates blanked) and the report."""
    out = {name: values.copy() for name, values in columns.items()}
    suppressed = out["suppressed"]
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in np.flatnonzero(out["n"] > 0):
        if out["statistic"][i] != "median":
            groups[(str(out["country"][i]), str(out["indicator"][i]))].append(int(i))
    ranges = _age_ranges(framework)
    audited = added = unprotected = 0
    for rows in groups.values():
        index = np.asarray(rows, dtype=np.int64)
        values = np.asarray(out[AUDIT_VALUE][index], dtype=np.float64)
        if not suppressed[index].any() or not np.isfinite(values).all() or (values < 0).any():
            continue
        relations = _relations(out, index, ranges)
        scale = max(float(values.max()), 1e-300)
        hidden = np.asarray(suppressed[index], dtype=np.bool_).copy()
        before = int(hidden.sum())
        failing = _protect(values / scale, hidden, relations, protection, out, index)
        audited += int(hidden.sum())
        added += int(hidden.sum()) - before
        unprotected += failing
        for local in np.flatnonzero(hidden & ~suppressed[index]):
            row = int(index[local])
            suppressed[row] = True
            out["flag"][row] = AUDIT_FLAG
            for name in _BLANKED:
                out[name][row] = np.nan
    return out, AuditReport(protection, audited, added, unprotected)


def _protect(
    values: NDArray[np.float64],
    hidden: NDArray[np.bool_],
    relations: list[Relation],
    protection: float,
    columns: Mapping[str, NDArray[Any]],
    index: NDArray[np.int64],
) -> int:
    """Greedy complementary suppression in place on ``hidden``; the count left failing.

    For the first failing cell, the candidates are the published cells sharing a relation
    with it (any published cell when none does), breakdown cells before totals and bands
    holding others, smaller values first; the first candidate whose suppression protects
    the failing cell is taken, else the first candidate."""
    is_total = np.asarray(
        [columns["breakdown"][i] == TOTAL for i in index], dtype=np.bool_
    ) | _holds_others(relations, len(index))

    twins = _twins(relations, len(index))

    def hide(cell: int) -> list[int]:
        """Hide ``cell`` and the cells identical to it (the same rows); what was hidden."""
        newly = [other for other in twins[cell] if not hidden[other]]
        hidden[newly] = True
        return newly

    for start in np.flatnonzero(hidden):
        hide(int(start))

    def audit(only: Sequence[int] | None = None) -> list[tuple[int, float, float, str]]:
        published = np.where(hidden, np.nan, values)
        return cells_audit(
            published,
            relations,
            protection=protection,
            original=values,
            only=only,
            first_failure=True,
        )

    for _ in range(len(values) + 1):
        failing = [cell for cell, _, _, status in audit() if status != "protected"]
        if not failing:
            return 0
        cell = int(failing[0])
        partners = {
            other
            for relation in relations
            if cell in (*relation.parts, relation.total)
            for other in (*relation.parts, relation.total)
            if not hidden[other]
        } or {int(other) for other in np.flatnonzero(~hidden)}
        if not partners:
            return len(failing)
        ranked = sorted(partners, key=lambda other: (bool(is_total[other]), values[other], other))
        choice = ranked[0]
        for candidate in ranked:
            newly = hide(candidate)
            passes = audit([cell])[0][3] == "protected"
            hidden[newly] = False
            if passes:
                choice = candidate
                break
        hide(choice)
    published = np.where(hidden, np.nan, values)
    final = cells_audit(published, relations, protection=protection, original=values)
    return sum(status != "protected" for _, _, _, status in final)


def _twins(relations: list[Relation], size: int) -> list[set[int]]:
    """For each cell, the cells holding exactly the same rows (itself included): a band equal
    to one cell of another breakdown (9–10 when no child is 9; 9–11 in two bandings)."""
    groups = [{cell} for cell in range(size)]
    for relation in relations:
        if relation.exact and len(relation.parts) == 1:
            merged = groups[relation.parts[0]] | groups[relation.total]
            for cell in merged:
                groups[cell] = merged
    return groups


def _holds_others(relations: list[Relation], size: int) -> NDArray[np.bool_]:
    holds = np.zeros(size, dtype=np.bool_)
    for relation in relations:
        if len(relation.parts) > 1:
            holds[relation.total] = True
    return holds


def _age_ranges(framework: Framework) -> dict[str, dict[str, tuple[int, int]] | None]:
    """For each breakdown of the age variable, its labels' age ranges (``None``: single years,
    the label is the age)."""
    out: dict[str, dict[str, tuple[int, int]] | None] = {}
    for breakdown in framework.breakdowns:
        if breakdown.variable != "age":
            continue
        if breakdown.bands:
            out[breakdown.id] = {
                breakdown.label_of(band): (int(band[0]), int(band[1])) for band in breakdown.bands
            }
        else:
            out[breakdown.id] = None
    return out


def _single_age(label: str) -> tuple[int, int] | None:
    try:
        age = float(label)
    except ValueError:
        return None
    return (int(age), int(age)) if age.is_integer() else None


def _relations(
    columns: Mapping[str, NDArray[Any]],
    index: NDArray[np.int64],
    ranges: Mapping[str, dict[str, tuple[int, int]] | None],
) -> list[Relation]:
    """The additive relations among one indicator's rows (local positions in ``index``)."""
    by_breakdown: dict[str, dict[str, int]] = defaultdict(dict)
    for local, row in enumerate(index):
        by_breakdown[str(columns["breakdown"][row])][str(columns["breakdown_value"][row])] = local
    n = columns["n"][index]
    relations: list[Relation] = []
    total = by_breakdown.get(TOTAL, {}).get(TOTAL)
    if total is not None:
        for breakdown, cells in by_breakdown.items():
            if breakdown == TOTAL:
                continue
            parts = tuple(cells.values())
            exact = int(n[list(parts)].sum()) == int(n[total])
            relations.append(Relation(parts, total, exact))
    spans: dict[str, dict[int, tuple[int, int]]] = {}
    for breakdown, cells in by_breakdown.items():
        if breakdown not in ranges:
            continue
        known = ranges[breakdown]
        spans[breakdown] = {
            local: span
            for label, local in cells.items()
            if (span := (known.get(label) if known is not None else _single_age(label)))
        }
    for coarse, coarse_spans in spans.items():
        for fine, fine_spans in spans.items():
            if fine == coarse:
                continue
            for local, (low, high) in coarse_spans.items():
                inside = _spans_within(ranges[fine], low, high)
                if not _tiles(inside, low, high):
                    continue
                parts = tuple(
                    cell for cell, span in fine_spans.items() if low <= span[0] <= span[1] <= high
                )
                relations.append(Relation(parts, local, True))
    return relations


def _spans_within(
    known: dict[str, tuple[int, int]] | None, low: int, high: int
) -> list[tuple[int, int]]:
    """The cells a breakdown can have within ``[low, high]``: its bands there, or every single
    year (an age without a published row is an empty cell)."""
    if known is None:
        return [(age, age) for age in range(low, high + 1)]
    return sorted(span for span in known.values() if low <= span[0] and span[1] <= high)


def _tiles(spans: list[tuple[int, int]], low: int, high: int) -> bool:
    at = low
    for start, end in sorted(spans):
        if start != at:
            return False
        at = end + 1
    return bool(spans) and at == high + 1
