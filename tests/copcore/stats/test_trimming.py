"""Weight trimming (``copstats weight --trim``) against svy's ``Sample.weighting.trim``
(``redistribute=True``) within 1e-9 — upper bounds, lower bounds and both — and cases worked
by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest
import svy

from copcore.stats.errors import InputError, OptionError
from copcore.stats.trimming import trim_bounds, weights_trim


def _svy_trim(
    weights: np.ndarray, upper: Any, lower: Any = None, replicates: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray | None]:
    frame = {"w": weights}
    rep_wgts = None
    if replicates is not None:
        for r in range(replicates.shape[1]):
            frame[f"rw{r + 1}"] = replicates[:, r]
        rep_wgts = svy.BootstrapWgts(prefix="rw", n_reps=replicates.shape[1])
    sample = svy.Sample(pl.DataFrame(frame), svy.Design(wgt="w", rep_wgts=rep_wgts))
    sample = sample.weighting.trim(
        upper=upper, lower=lower, wgt_name="trimmed", max_iter=200, tol=1e-12
    )
    data = sample._data
    trimmed = data["trimmed"].to_numpy()
    if replicates is None:
        return trimmed, None
    reps = np.column_stack([data[f"trimmed{r + 1}"].to_numpy() for r in range(replicates.shape[1])])
    return trimmed, reps


@pytest.mark.parametrize(
    ("spec", "upper", "lower"),
    [
        ("max=2.5*median", svy.Threshold("median", 2.5), None),
        ("max=1.8*mean", svy.Threshold("mean", 1.8), None),
        ("max=p90", svy.Threshold.quantile(0.9), None),
        ("max=6", 6.0, None),
        ("min=0.4*median", None, svy.Threshold("median", 0.4)),
        (
            "max=3*median, min=0.3*median",
            svy.Threshold("median", 3.0),
            svy.Threshold("median", 0.3),
        ),
        ("min=p10,max=p95", svy.Threshold.quantile(0.95), svy.Threshold.quantile(0.1)),
    ],
)
def test_equals_svy(spec: str, upper: Any, lower: Any) -> None:
    rng = np.random.default_rng(8)
    weights = rng.lognormal(0.5, 1.0, 400)
    weights[:6] = 0.0  # zero weights stay zero and take no share
    replicates = weights[:, None] * rng.uniform(0.0, 2.0, (400, 5))
    high, low = trim_bounds(spec, weights)
    result = weights_trim(weights, high, low, replicates)
    peer, peer_reps = _svy_trim(weights, upper, lower, replicates)
    np.testing.assert_allclose(result.weights, peer, rtol=1e-9, atol=0)
    assert peer_reps is not None and result.replicates is not None
    np.testing.assert_allclose(result.replicates, peer_reps, rtol=1e-9, atol=0)
    assert result.total == pytest.approx(weights.sum(), rel=1e-12)
    positive = result.weights[6:]
    if high is not None:
        assert positive.max() <= high * (1 + 1e-12) and result.at_upper >= 1
    if low is not None:
        # With both bounds the floored weights usually end above the floor: the next upper
        # step shares its excess with them.
        assert positive.min() >= low * (1 - 1e-12)
        assert result.at_lower >= 1 or high is not None
    assert result.passes >= 1
    assert (result.weights[:6] == 0).all()


def test_by_hand_two_passes() -> None:
    weights = np.array([1.0, 2.0, 3.0, 6.0, 18.0])  # total 30, cap 8
    result = weights_trim(weights, 8.0)
    # Pass 1: 18 -> 8; the 10 removed goes to (1, 2, 3, 6), sum 12: × 11/6 -> 11 for the 6.
    # Pass 2: 11 -> 8; the 3 removed goes to the three never capped, sum 11: × 14/11.
    # So 1, 2, 3 become 7/3, 14/3, 7; nothing is above 8.
    np.testing.assert_allclose(result.weights, [7 / 3, 14 / 3, 7.0, 8.0, 8.0], rtol=1e-12)
    assert result.passes == 2 and result.at_upper == 2 and result.at_lower == 0
    assert result.total == pytest.approx(30.0, rel=1e-12)
    untouched = weights_trim(weights, 20.0)
    assert untouched.passes == 0 and (untouched.weights == weights).all()
    # A floor of 2 on (1, 3, 4, 12), total 20: 1 -> 2 takes 1 from (3, 4, 12), sum 19:
    # × 18/19 -> 3 × 18/19 = 2.842… stays above 2; one pass.
    floored = weights_trim(np.array([1.0, 3.0, 4.0, 12.0]), None, 2.0)
    np.testing.assert_allclose(floored.weights, [2.0, 54 / 19, 72 / 19, 216 / 19], rtol=1e-12)
    assert floored.passes == 1 and floored.at_lower == 1 and floored.total == pytest.approx(20)


def test_refusals() -> None:
    with pytest.raises(InputError) as infeasible:
        weights_trim(np.array([5.0, 6.0, 7.0]), 4.0)
    assert infeasible.value.code == "trim_infeasible"
    assert infeasible.value.params["side"] == "max"
    with pytest.raises(InputError) as floor:
        weights_trim(np.array([5.0, 6.0, 7.0]), None, 6.5)
    assert floor.value.params["side"] == "min"
    bad_specs = ("max=", "max=-1", "max=2*sd", "max=p0", "max=p101", "cap=3", "max=2,max=3")
    for spec in (*bad_specs, "max=2,min=3"):
        with pytest.raises(OptionError) as bad:
            trim_bounds(spec, np.array([1.0, 2.0]))
        assert bad.value.params["option"] == "--trim"
