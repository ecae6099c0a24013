"""Weight trimming (``copstats weight --trim``) against svy's ``Sample.weighting.trim``
(``redistribute=True``) within 1e-9, and a case worked by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest
import svy

from copcore.stats.errors import InputError, OptionError
from copcore.stats.trimming import trim_cap, weights_trim


def _svy_trim(
    weights: np.ndarray, upper: Any, replicates: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray | None]:
    frame = {"w": weights}
    rep_wgts = None
    if replicates is not None:
        for r in range(replicates.shape[1]):
            frame[f"rw{r + 1}"] = replicates[:, r]
        rep_wgts = svy.BootstrapWgts(prefix="rw", n_reps=replicates.shape[1])
    sample = svy.Sample(pl.DataFrame(frame), svy.Design(wgt="w", rep_wgts=rep_wgts))
    sample = sample.weighting.trim(upper=upper, wgt_name="trimmed", max_iter=100)
    data = sample._data
    trimmed = data["trimmed"].to_numpy()
    if replicates is None:
        return trimmed, None
    reps = np.column_stack([data[f"trimmed{r + 1}"].to_numpy() for r in range(replicates.shape[1])])
    return trimmed, reps


@pytest.mark.parametrize(
    ("spec", "upper"),
    [
        ("max=2.5*median", svy.Threshold("median", 2.5)),
        ("max=1.8*mean", svy.Threshold("mean", 1.8)),
        ("max=p90", svy.Threshold.quantile(0.9)),
        ("max=6", 6.0),
    ],
)
def test_equals_svy(spec: str, upper: Any) -> None:
    rng = np.random.default_rng(8)
    weights = rng.lognormal(0.5, 1.0, 400)
    weights[:6] = 0.0  # zero weights stay zero and take no share
    replicates = weights[:, None] * rng.uniform(0.0, 2.0, (400, 5))
    result = weights_trim(weights, trim_cap(spec, weights), replicates)
    peer, peer_reps = _svy_trim(weights, upper, replicates)
    np.testing.assert_allclose(result.weights, peer, rtol=1e-9, atol=0)
    assert peer_reps is not None and result.replicates is not None
    np.testing.assert_allclose(result.replicates, peer_reps, rtol=1e-9, atol=0)
    assert result.total == pytest.approx(weights.sum(), rel=1e-12)
    assert result.weights.max() <= result.cap * (1 + 1e-12)
    assert result.passes >= 1 and result.capped >= 1
    assert (result.weights[:6] == 0).all()


def test_by_hand_two_passes() -> None:
    weights = np.array([1.0, 2.0, 3.0, 6.0, 18.0])  # total 30, cap 8
    result = weights_trim(weights, 8.0)
    # Pass 1: 18 -> 8; the 10 removed goes to (1, 2, 3, 6), sum 12: × 11/6 -> 11 for the 6.
    # Pass 2: 11 -> 8; the 3 removed goes to the three never capped, sum 11: × 14/11.
    # So 1, 2, 3 become 7/3, 14/3, 7; nothing is above 8.
    np.testing.assert_allclose(result.weights, [7 / 3, 14 / 3, 7.0, 8.0, 8.0], rtol=1e-12)
    assert result.passes == 2 and result.capped == 2
    assert result.total == pytest.approx(30.0, rel=1e-12)
    untouched = weights_trim(weights, 20.0)
    assert untouched.passes == 0 and (untouched.weights == weights).all()


def test_refusals() -> None:
    with pytest.raises(InputError) as infeasible:
        weights_trim(np.array([5.0, 6.0, 7.0]), 4.0)
    assert infeasible.value.code == "trim_infeasible"
    for spec in ("min=2", "max=", "max=-1", "max=2*sd", "max=p0", "max=p101", "cap=3"):
        with pytest.raises(OptionError) as bad:
            trim_cap(spec, np.array([1.0, 2.0]))
        assert bad.value.params["option"] == "--trim"
