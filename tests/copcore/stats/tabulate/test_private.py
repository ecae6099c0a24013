"""Proportion indicators released under differential privacy."""

from __future__ import annotations

import numpy as np
import pytest

from copcore.stats.framework import FRAMEWORKS_DIR, framework_default
from copcore.stats.io import table_read
from copcore.stats.mapping import mapping_apply, mapping_load
from copcore.stats.privacy import (
    SAMPLER_RNG,
)
from copcore.stats.tabulate import TabulateOptions, tabulate_private

EXAMPLES = FRAMEWORKS_DIR / "examples"


def test_private_tabulation_is_exact_given_a_generator() -> None:
    mapping = mapping_load(EXAMPLES / "fakeland-2025.mapping.yaml")
    table = table_read(EXAMPLES / "fakeland-2025.csv")
    framework = framework_default()
    options = TabulateOptions(indicators=("R1", "A4"))
    tab, calibration = tabulate_private(
        table,
        mapping,
        framework,
        options,
        epsilon=1.0,
        weight_cap=150.0,
        rng=np.random.default_rng(5),
    )
    breakdowns = framework.indicator_breakdowns(framework.indicator("R1"))
    available = [
        b for b in breakdowns if b.id not in ("wealth_quintile", "disability", "in_school")
    ]
    assert calibration.queries == 2 * (1 + len(available))
    assert calibration.epsilon <= 1.0
    rows = tab.rows()
    a4 = [r for r in rows if r["indicator"] == "A4"]
    assert [r["comparability"] for r in a4] == ["dp_not_supported:median"]
    total = next(r for r in rows if r["indicator"] == "R1" and r["breakdown"] == "_T")
    harmonised = mapping_apply(table, mapping, framework)
    weights = np.minimum(np.asarray(table["WT"]), 150.0)
    bothered = np.asarray(harmonised.columns["bothered_upset"])
    users = np.asarray(harmonised.columns["internet_use_3m"]) == 1
    valid = users & ~np.isnan(bothered)
    noise = np.random.default_rng(5).laplace(0.0, calibration.scale, size=2)
    numerator = weights[valid & (bothered == 1)].sum() + noise[0]
    denominator = weights[valid].sum() + noise[1]
    assert total["dp_numerator"] == pytest.approx(numerator, rel=1e-12)
    assert total["dp_denominator"] == pytest.approx(denominator, rel=1e-12)
    assert total["estimate"] == pytest.approx(min(max(numerator / denominator, 0), 1), rel=1e-12)
    assert total["dp_epsilon"] == calibration.epsilon and total["dp_sampler"] == SAMPLER_RNG
    regions = [
        r["breakdown_value"] for r in rows if r["indicator"] == "R1" and r["breakdown"] == "region"
    ]
    assert regions == ["North", "Coast", "Highlands"]  # declared in the mapping, not read from data
    assert tab.metadata["dp_queries"] == str(calibration.queries)
