"""Evaluating conditions over the harmonised table, in Kleene's strong three-valued logic."""

from __future__ import annotations

import numpy as np

from copcore.stats.columns import BoolArray, Column, Factor, Table, missing_mask
from copcore.stats.framework import AllOf, AnyOf, Compare, Condition, Not


def condition_evaluate(
    condition: Condition | None, columns: Table, n_rows: int
) -> tuple[BoolArray, BoolArray]:
    """Kleene three-valued evaluation: ``(true, known)`` masks over the harmonised table.

    A comparison is unknown where its variable is missing; ``all`` is false if one part is
    false, ``any`` true if one part is true (Kleene 1952 strong logic), so a composite
    universe never drops a row that one known part already decides.
    """
    if condition is None:
        every = np.ones(n_rows, dtype=np.bool_)
        return every, every
    if isinstance(condition, Not):
        true, known = condition_evaluate(condition.part, columns, n_rows)
        return known & ~true, known
    if isinstance(condition, AllOf | AnyOf):
        parts = [condition_evaluate(p, columns, n_rows) for p in condition.parts]
        if isinstance(condition, AllOf):
            false = np.logical_or.reduce([k & ~t for t, k in parts])
            true = np.logical_and.reduce([t for t, _ in parts])
        else:
            true = np.logical_or.reduce([t for t, _ in parts])
            false = np.logical_and.reduce([k & ~t for t, k in parts])
        return true, true | false
    return _compare(condition, columns[condition.var])


def _compare(condition: Compare, values: Column) -> tuple[BoolArray, BoolArray]:
    if isinstance(values, Factor):
        wanted = [
            i
            for i, level in enumerate(values.levels)
            if level in {str(v) for v in condition.values}
        ]
        known = values.codes >= 0
        return np.isin(values.codes, wanted), known
    if values.dtype.kind == "f":
        known = ~np.isnan(values)
        targets = [float(v) for v in condition.values]  # booleans become 1.0 / 0.0
        if condition.op == "between":
            true = known & (values >= targets[0]) & (values <= targets[1])
        else:
            true = known & np.isin(values, targets)
        return true, known
    known = ~missing_mask(values)
    true = known & np.isin(values, [str(v) for v in condition.values])
    return np.asarray(true, dtype=np.bool_), np.asarray(known, dtype=np.bool_)
