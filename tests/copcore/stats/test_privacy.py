"""Differential privacy: OpenDP calibration (exact), noise (exact with an injected generator,
statistical with OpenDP's own sampler) and the per-dataset ledger."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import opendp.prelude as dp
import pytest

from copcore.stats.errors import LedgerError, OptionError, PrivacyBudgetExceeded
from copcore.stats.privacy import (
    MECHANISM_DISCRETE,
    SAMPLER_OPENDP,
    SAMPLER_RNG,
    Ledger,
    dp_calibrate,
    dp_calibrate_counts,
    dp_cell_counts,
    dp_cell_counts_unweighted,
    dp_counts,
    dp_noise,
    dp_sums,
    ledger_charge,
    ledger_read,
    ledger_write,
)

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_calibration_is_opendps_privacy_map() -> None:
    calibration = dp_calibrate(1.0, weight_cap=10.0, queries=4)
    dp.enable_features("contrib")
    space = dp.vector_domain(dp.atom_domain(bounds=(0.0, 10.0))), dp.symmetric_distance()
    chain = space >> dp.t.then_sum() >> dp.m.then_laplace(scale=calibration.scale)
    assert calibration.epsilon_query == chain.map(1)
    assert calibration.epsilon_query <= 0.25
    assert calibration.epsilon == math.fsum([calibration.epsilon_query] * 4) <= 1.0
    assert calibration.scale == pytest.approx(40.0, rel=1e-6)  # sensitivity 10 / ε 0.25
    assert calibration.sensitivity == pytest.approx(10.0, rel=1e-6)
    assert calibration.sensitivity >= 10.0  # OpenDP adds the float rounding margin


def test_bad_parameters_are_refused() -> None:
    for epsilon, cap, queries in ((0.0, 1.0, 1), (1.0, -5.0, 1), (1.0, 1.0, 0), (math.inf, 1, 1)):
        with pytest.raises(OptionError):
            dp_calibrate(epsilon, cap, queries)


def test_sums_are_exact() -> None:
    parts = [np.array([1.0, 2.5, 10.0]), np.array([]), np.array([0.25] * 8)]
    np.testing.assert_array_equal(dp_sums(parts, 10.0), [13.5, 0.0, 2.0])


def test_injected_generator_makes_noise_exact() -> None:
    calibration = dp_calibrate(2.0, weight_cap=5.0, queries=2)
    sums = np.array([100.0, 40.0, 0.0])
    noisy, sampler = dp_noise(sums, calibration, np.random.default_rng(11))
    expected = sums + np.random.default_rng(11).laplace(0.0, calibration.scale, size=3)
    np.testing.assert_array_equal(noisy, expected)
    assert sampler == SAMPLER_RNG


def test_opendp_noise_has_the_calibrated_laplace_distribution() -> None:
    # Statistical, not exact: OpenDP's sampler is cryptographically seeded. With 20,000 draws
    # the mean is within 6 standard errors of 0 and the variance within 6 standard errors of
    # 2·scale² (Laplace: kurtosis 6, so var(s²) ≈ 5·(2b²)²/n); failure odds below 1e-8.
    calibration = dp_calibrate(1.0, weight_cap=1.0, queries=1)
    n = 20_000
    noisy, sampler = dp_noise(np.zeros(n), calibration)
    assert sampler == SAMPLER_OPENDP
    variance = 2 * calibration.scale**2
    assert abs(noisy.mean()) < 6 * math.sqrt(variance / n)
    assert abs(noisy.var() - variance) < 6 * math.sqrt(5 * variance**2 / n)
    assert len(np.unique(noisy)) > n * 0.99  # continuous-looking, not a constant


def test_cell_counts_are_capped_weighted_sums_plus_noise() -> None:
    weights = np.array([1.0, 50.0, 3.0, 200.0, 5.0])
    masks = [np.array([True, True, False, True, True]), np.ones(5, dtype=np.bool_)]
    codes = np.array([0, 1, 0, 1, -1])
    cells = [(codes, 3), (codes, 3)]
    noisy = dp_cell_counts(
        weights, masks, cells, epsilon=1.0, weight_cap=20.0, rng=np.random.default_rng(3)
    )
    draws = np.random.default_rng(3).laplace(0.0, noisy.calibration.scale, size=6)
    np.testing.assert_array_equal(noisy.sums[0], np.array([1.0, 40.0, 0.0]) + draws[:3])
    np.testing.assert_array_equal(noisy.sums[1], np.array([4.0, 40.0, 0.0]) + draws[3:])
    assert noisy.calibration.queries == 2 and noisy.calibration.weight_cap == 20.0


def test_the_ledger_accumulates_and_refuses_past_the_budget() -> None:
    half = dp_calibrate(0.5, weight_cap=10.0, queries=3)
    ledger = ledger_charge(Ledger(), dataset="d1", calibration=half, budget=1.2, now=NOW)
    ledger = ledger_charge(ledger, dataset="d1", calibration=half, budget=None, now=NOW)
    account = ledger.account("d1")
    assert account is not None and len(account.releases) == 2
    assert account.spent == math.fsum([half.epsilon, half.epsilon]) <= 1.0
    with pytest.raises(PrivacyBudgetExceeded) as caught:
        ledger_charge(ledger, dataset="d1", calibration=half, budget=None, now=NOW)
    assert caught.value.code == "privacy_budget_exceeded"
    assert caught.value.params["budget"] == 1.2
    assert ledger.account("d1") == account  # unchanged
    other = ledger_charge(ledger, dataset="d2", calibration=half, budget=0.5, now=NOW)
    assert other.account("d1") == account and other.account("d2") is not None


def test_budgets_are_set_once_and_never_changed() -> None:
    calibration = dp_calibrate(0.1, weight_cap=1.0, queries=1)
    with pytest.raises(LedgerError) as caught:
        ledger_charge(Ledger(), dataset="d", calibration=calibration, budget=None, now=NOW)
    assert caught.value.code == "ledger_budget_missing"
    ledger = ledger_charge(Ledger(), dataset="d", calibration=calibration, budget=1.0, now=NOW)
    with pytest.raises(LedgerError) as caught:
        ledger_charge(ledger, dataset="d", calibration=calibration, budget=5.0, now=NOW)
    assert caught.value.code == "ledger_budget_mismatch"


def test_the_ledger_file_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    assert ledger_read(path) == Ledger()
    calibration = dp_calibrate(0.3, weight_cap=100.0, queries=7)
    ledger = ledger_charge(
        Ledger(), dataset="sha256:ab", calibration=calibration, budget=3.0, now=NOW, description="t"
    )
    ledger_write(ledger, path)
    assert ledger_read(path) == ledger
    stored = json.loads(path.read_text())
    release = stored["datasets"]["sha256:ab"]["releases"][0]
    assert release == {
        "at": "2026-11-28T12:00:00+00:00",
        "epsilon": calibration.epsilon,
        "mechanism": "laplace",
        "weight_cap": 100.0,
        "queries": 7,
        "description": "t",
    }
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(LedgerError) as caught:
        ledger_read(path)
    assert caught.value.code == "ledger_unreadable"


# ----------------------------------------------------------------------------- counts


def test_count_calibration_is_opendps_privacy_map() -> None:
    calibration = dp_calibrate_counts(1.0, queries=4)
    dp.enable_features("contrib")
    space = dp.vector_domain(dp.atom_domain(T=bool)), dp.symmetric_distance()
    chain = space >> dp.t.then_count(TO="i64") >> dp.m.then_laplace(scale=calibration.scale)
    assert calibration.epsilon_query == chain.map(1) == 0.25
    assert calibration.scale == 4.0  # discrete Laplace: ε = sensitivity 1 / scale, no margin
    assert calibration.sensitivity == 1.0 and calibration.weight_cap == 1.0
    assert calibration.mechanism == MECHANISM_DISCRETE == "discrete_laplace"
    assert calibration.epsilon == 1.0
    odd = dp_calibrate_counts(0.3, queries=7)
    assert odd.epsilon <= 0.3 and odd.epsilon_query <= 0.3 / 7


def test_bad_count_parameters_are_refused() -> None:
    for epsilon, queries in ((0.0, 1), (-1.0, 1), (math.nan, 1), (1.0, 0)):
        with pytest.raises(OptionError):
            dp_calibrate_counts(epsilon, queries)


def test_counts_are_opendps_exact_counts() -> None:
    parts = [np.ones(3), np.array([]), np.ones(8)]
    np.testing.assert_array_equal(dp_counts(parts), [3.0, 0.0, 8.0])


def test_injected_generator_makes_count_noise_exact() -> None:
    calibration = dp_calibrate_counts(0.5, queries=1)
    counts = np.array([100.0, 4.0, 0.0, 12.0])
    noisy, sampler = dp_noise(counts, calibration, np.random.default_rng(21))
    rng = np.random.default_rng(21)
    p = 1.0 - math.exp(-1.0 / calibration.scale)
    expected = counts + rng.geometric(p, size=4) - rng.geometric(p, size=4)
    np.testing.assert_array_equal(noisy, expected)
    assert sampler == SAMPLER_RNG
    assert np.array_equal(noisy, np.round(noisy))  # whole numbers


def test_opendp_count_noise_has_the_discrete_laplace_distribution() -> None:
    # Statistical, as for the Laplace noise above. Discrete Laplace of scale b: mean 0,
    # variance 2q/(1-q)² with q = exp(-1/b), kurtosis about 6 at b = 5 (so var(s²) is
    # below 6·var²/n); bounds at six standard errors.
    calibration = dp_calibrate_counts(0.2, queries=1)
    assert calibration.scale == 5.0
    n = 20_000
    noisy, sampler = dp_noise(np.zeros(n), calibration)
    assert sampler == SAMPLER_OPENDP
    q = math.exp(-1.0 / calibration.scale)
    variance = 2 * q / (1 - q) ** 2
    assert np.array_equal(noisy, np.round(noisy))
    assert abs(noisy.mean()) < 6 * math.sqrt(variance / n)
    assert abs(noisy.var() - variance) < 6 * math.sqrt(6 * variance**2 / n)
    assert len(np.unique(noisy)) > 30  # spread out, not a constant


def test_unweighted_cell_counts_are_counts_plus_discrete_noise() -> None:
    masks = [np.array([True, True, False, True, True]), np.ones(5, dtype=np.bool_)]
    codes = np.array([0, 1, 0, 1, -1])
    cells = [(codes, 3), (codes, 3)]
    noisy = dp_cell_counts_unweighted(masks, cells, epsilon=1.0, rng=np.random.default_rng(3))
    rng = np.random.default_rng(3)
    p = 1.0 - math.exp(-1.0 / noisy.calibration.scale)
    draws = rng.geometric(p, size=6) - rng.geometric(p, size=6)
    np.testing.assert_array_equal(noisy.sums[0], np.array([1.0, 2.0, 0.0]) + draws[:3])
    np.testing.assert_array_equal(noisy.sums[1], np.array([2.0, 2.0, 0.0]) + draws[3:])
    assert noisy.calibration.queries == 2 and noisy.calibration.scale == 2.0
    assert noisy.calibration.weight_cap == 1.0


def test_counts_and_proportions_share_one_ledger(tmp_path: Path) -> None:
    proportions = dp_calibrate(0.5, weight_cap=10.0, queries=2)
    counts = dp_calibrate_counts(0.4, queries=2)
    ledger = ledger_charge(Ledger(), dataset="d", calibration=proportions, budget=1.0, now=NOW)
    ledger = ledger_charge(ledger, dataset="d", calibration=counts, budget=None, now=NOW)
    account = ledger.account("d")
    assert account is not None
    assert account.spent == math.fsum([proportions.epsilon, counts.epsilon]) <= 0.9
    assert [r.mechanism for r in account.releases] == ["laplace", "discrete_laplace"]
    assert account.releases[1].weight_cap == 1.0 and account.releases[1].queries == 2
    more = dp_calibrate_counts(0.2, queries=1)
    with pytest.raises(PrivacyBudgetExceeded):
        ledger_charge(ledger, dataset="d", calibration=more, budget=None, now=NOW)
    assert ledger.account("d") == account
    path = tmp_path / "ledger.json"
    ledger_write(ledger, path)
    assert ledger_read(path) == ledger
