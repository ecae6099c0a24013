"""Replicate weights made from the design: the jackknife and BRR weights svy makes, the BRR
identity with Taylor for totals, Hadamard matrices, the Rao–Wu bootstrap's draws."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from copcore.stats import Design, Request, estimate
from copcore.stats.design import Replicates
from copcore.stats.errors import DesignError, OptionError
from copcore.stats.replicate_create import hadamard, hadamard_order, replicates_create
from tests.copcore.stats.test_estimate_vs_svy import survey_table
from tests.copcore.stats.test_replication_vs_svy import _svy_created

DESIGN = Design(weight="wt", strata="stratum", psu="psu")


def _columns_sorted(matrix: np.ndarray) -> np.ndarray:
    """The replicate columns in a canonical order (replicate order is arbitrary)."""
    return matrix[:, np.lexsort(matrix[::-1])]


def _peer_matrix(table: dict[str, Any], wgts: Any) -> np.ndarray:
    return np.column_stack([table[c] for c in wgts.columns_from_data(list(table))])


@pytest.mark.parametrize("method", ["jkn", "jk1"])
def test_jackknife_weights_equal_svy(method: str) -> None:
    table = survey_table(21)
    design = DESIGN if method == "jkn" else Design(weight="wt", psu="psu")
    created = replicates_create(table, design, method)
    if method == "jk1":
        table = {**table, "stratum": np.ones(len(table["wt"]))}
    peer_table, wgts = _svy_created(table, "create_jk_wgts")
    peer = _peer_matrix(peer_table, wgts)
    assert created.count == wgts.n_reps
    np.testing.assert_allclose(_columns_sorted(created.weights), _columns_sorted(peer), rtol=1e-12)
    assert sorted(created.multipliers) == pytest.approx(sorted(wgts.rep_coefs), rel=1e-12)
    assert created.df == int(wgts.df)


def test_brr_weights_equal_svy_and_totals_match_taylor() -> None:
    table = survey_table(23, n_strata=7, psus=(2, 2), missing=True)
    created = replicates_create(table, DESIGN, "brr")
    peer_table, wgts = _svy_created(table, "create_brr_wgts")
    assert created.count == wgts.n_reps == 8
    np.testing.assert_array_equal(created.weights, _peer_matrix(peer_table, wgts))
    # Full orthogonal balance: for a total, BRR's variance is Taylor's exactly.
    for r in range(created.count):
        table[f"b{r + 1}"] = created.weights[:, r]
    requests = [Request("total", "score"), Request("total", "item")]
    brr = estimate(table, Design(weight="wt", replicates=Replicates(("b",), "brr")), requests)
    taylor = estimate(table, DESIGN, requests)
    np.testing.assert_allclose(brr.columns["se"], taylor.columns["se"], rtol=1e-10)


def test_fay_weights_and_variance() -> None:
    table = survey_table(29, n_strata=10, psus=(2, 2))
    plain = replicates_create(table, DESIGN, "brr")
    fay = replicates_create(table, DESIGN, "brr", fay=0.5)
    assert plain.count == fay.count == 12 and fay.method == "fay"
    # Fay's replicate is the full-sample weight moved half-way toward the BRR one.
    expected = 0.5 * table["wt"][:, None] + 0.5 * plain.weights
    np.testing.assert_allclose(fay.weights, expected, rtol=1e-12)
    for r in range(fay.count):
        table[f"f{r + 1}"] = fay.weights[:, r]
    design = Design(weight="wt", replicates=Replicates(("f",), "fay", fay=0.5))
    fay_se = estimate(table, design, [Request("total", "score")]).columns["se"][0]
    taylor_se = estimate(table, DESIGN, [Request("total", "score")]).columns["se"][0]
    assert fay_se == pytest.approx(taylor_se, rel=1e-10)


def test_brr_with_a_paley_hadamard_balances_totals() -> None:
    table = survey_table(31, n_strata=9, psus=(2, 2))
    created = replicates_create(table, DESIGN, "brr")
    assert created.count == 12  # Paley I (q = 11), not a power of two
    for r in range(created.count):
        table[f"b{r + 1}"] = created.weights[:, r]
    requests = [Request("total", "score")]
    brr = estimate(table, Design(weight="wt", replicates=Replicates(("b",), "brr")), requests)
    taylor = estimate(table, DESIGN, requests)
    assert brr.columns["se"][0] == pytest.approx(taylor.columns["se"][0], rel=1e-10)


def test_hadamard_matrices() -> None:
    for order in [2, 4, 8, 12, 20, 24, 28, 36, 40, 44, 48, 56, 60, 64, 68, 72, 76, 80, 84]:
        matrix = hadamard(order)
        assert matrix is not None, order
        assert (matrix @ matrix.T == order * np.eye(order)).all(), order
        assert (matrix[0] == 1).all()
    assert hadamard(52) is None and hadamard(6) is None
    assert [hadamard_order(h) for h in (1, 2, 3, 4, 8, 11, 31, 51)] == [2, 4, 4, 8, 12, 12, 32, 56]


def test_bootstrap_rao_wu() -> None:
    table = survey_table(37, n_strata=5, psus=(3, 6))
    one = replicates_create(table, DESIGN, "bootstrap", reps=400, seed=9)
    two = replicates_create(table, DESIGN, "bootstrap", reps=400, seed=9)
    np.testing.assert_array_equal(one.weights, two.weights)
    assert one.count == 400 and one.multipliers[0] == pytest.approx(1 / 400)
    # Each replicate draws n_h - 1 PSUs in every stratum: sum of m * n_h/(n_h-1) over its PSUs.
    ratio = one.weights / table["wt"][:, None]
    stratum, psu = table["stratum"], table["psu"]
    for h in np.unique(stratum):
        psus = np.unique(psu[stratum == h])
        n_h = len(psus)
        first_rows = [int(np.flatnonzero(psu == p)[0]) for p in psus]
        draws = ratio[first_rows] * (n_h - 1) / n_h
        np.testing.assert_allclose(draws.sum(axis=0), n_h - 1)
        np.testing.assert_allclose(draws, np.round(draws), atol=1e-12)
    for r in range(one.count):
        table[f"bs{r + 1}"] = one.weights[:, r]
    design = Design(weight="wt", replicates=Replicates(("bs",), "bootstrap"))
    boot = estimate(table, design, [Request("mean", "score")]).columns["se"][0]
    taylor = estimate(table, DESIGN, [Request("mean", "score")]).columns["se"][0]
    assert boot == pytest.approx(taylor, rel=0.25)  # a Monte Carlo estimate of the same thing


def test_creation_errors() -> None:
    table = survey_table(41, n_strata=4, psus=(2, 4), singleton_strata=1)
    with pytest.raises(DesignError) as lonely:
        replicates_create(table, DESIGN, "jkn")
    assert lonely.value.code == "replicate_stratum_singleton"
    table = survey_table(41, n_strata=4, psus=(3, 3))
    with pytest.raises(DesignError) as pairs:
        replicates_create(table, DESIGN, "brr")
    assert pairs.value.code == "replicate_brr_pairs" and pairs.value.params["count"] == 3
    for design, method, options in [
        (Design(weight="wt", strata="stratum"), "jkn", {}),
        (DESIGN, "jk1", {}),
        (DESIGN, "jkn", {"reps": 10}),
        (DESIGN, "bootstrap", {"fay": 0.3}),
        (DESIGN, "brr", {"fay": 1.0}),
        (DESIGN, "bootstrap", {"reps": 1}),
    ]:
        with pytest.raises(OptionError):
            replicates_create(table, design, method, **options)
