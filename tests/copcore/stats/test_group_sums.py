"""Fine groups (unit × cell of every breakdown) and the sums the kernel builds from them."""

from __future__ import annotations

import numpy as np
import pytest

from copcore.stats import columns, group_sums
from copcore.stats.design import Design, design_prepare
from copcore.stats.group_sums import Breakdown, ColumnSummer, fine_groups
from copcore.stats.variance import ratio_estimate


def _breakdowns(rng: np.random.Generator, n: int) -> list[Breakdown]:
    sizes = (1, 4, 7, 3)
    out = []
    for size in sizes:
        codes = rng.integers(-1, size, n) if size > 1 else np.zeros(n, dtype=np.int64)
        out.append(Breakdown(codes=codes.astype(np.int64), n_cells=size))
    return out


@pytest.mark.parametrize("key_limit", [1 << 40, 64])
def test_fine_groups_refine_every_breakdown(
    key_limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(group_sums, "KEY_RANGE_LIMIT", key_limit)  # forces compaction midway
    rng = np.random.default_rng(1)
    n = 5000
    unit = rng.integers(0, 40, n)
    breakdowns = _breakdowns(rng, n)
    groups = fine_groups(unit, 40, breakdowns)
    assert groups.count == len(np.unique(groups.ids)) and groups.ids.max() == groups.count - 1
    np.testing.assert_array_equal(groups.unit[groups.ids], unit)
    for b, breakdown in enumerate(breakdowns):
        np.testing.assert_array_equal(groups.cells[b][groups.ids], breakdown.codes)
    combos = {(u, *(b.codes[i] for b in breakdowns)) for i, u in enumerate(unit.tolist())}
    assert groups.count == len(combos)


def test_column_sums_treat_nan_as_zero_and_keep_signs() -> None:
    rng = np.random.default_rng(2)
    n = 3000
    groups = fine_groups(rng.integers(0, 9, n), 9, [])
    weights = rng.uniform(0.5, 3.0, n)
    values = rng.normal(0, 2, n)
    values[rng.random(n) < 0.2] = np.nan
    clean = np.nan_to_num(values)
    mask = ~np.isnan(values)
    summer = ColumnSummer(groups, weights)

    def direct(x: np.ndarray) -> np.ndarray:
        return np.bincount(groups.ids, weights=x, minlength=groups.count)

    np.testing.assert_allclose(summer.weighted(values), direct(weights * clean), rtol=1e-13)
    np.testing.assert_allclose(
        summer.weighted(values, twice=True), direct(weights**2 * clean), rtol=1e-13
    )
    np.testing.assert_allclose(summer.squared(values), direct(weights * clean**2), rtol=1e-13)
    np.testing.assert_allclose(summer.counted(mask), direct(mask.astype(float)), rtol=0)
    np.testing.assert_allclose(summer.weighted(mask), direct(weights * mask), rtol=1e-13)
    every = np.full(n, np.nan)
    np.testing.assert_array_equal(summer.weighted(every), np.zeros(groups.count))


@pytest.mark.parametrize("psu", ["psu", None])
def test_breakdowns_together_give_what_each_gives_alone(psu: str | None) -> None:
    rng = np.random.default_rng(3)
    n = 4000
    stratum = rng.integers(0, 6, n).astype(float)
    table = {
        "w": rng.uniform(0.5, 3.0, n),
        "h": stratum,
        "psu": stratum * 100 + rng.integers(0, 5, n),
    }
    prepared = design_prepare(table, Design(weight="w", strata="h", psu=psu))
    y = (rng.random(n) < 0.3).astype(float)
    y[rng.random(n) < 0.1] = np.nan
    z = rng.normal(5, 2, n)
    numerators = [y, z - z.mean()]
    denominators = [~np.isnan(y), np.ones(n, dtype=np.bool_)]
    breakdowns = _breakdowns(rng, n)
    together = ratio_estimate(prepared, numerators, denominators, breakdowns)
    for breakdown, joint in zip(breakdowns, together, strict=True):
        (alone,) = ratio_estimate(prepared, numerators, denominators, [breakdown])
        for name in ("estimate", "se", "deff"):
            np.testing.assert_allclose(getattr(joint, name), getattr(alone, name), rtol=1e-10)
        np.testing.assert_array_equal(joint.n, alone.n)
        np.testing.assert_array_equal(joint.df, alone.df)


def test_codes_compact_keeps_key_order() -> None:
    key = np.array([90, 5, 90, 17, 5], dtype=np.int64)
    for key_range in (100, 10**12):
        codes, count = columns.codes_compact(key, key_range)
        assert count == 3 and codes.tolist() == [2, 0, 2, 1, 0]
