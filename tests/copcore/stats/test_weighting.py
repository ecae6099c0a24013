"""Weighting equals svy (poststratify, rake, linear calibration) within 1e-9; logit calibration
keeps the factors within their bounds and tends to raking as the bounds open; replicate
weights are adjusted like the main weight; bad margins are refused naming what is wrong."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pytest
import svy
from svy.core.terms import Cat

from copcore.stats.columns import array_from_arrow
from copcore.stats.errors import InputError, OptionError
from copcore.stats.weighting import Margin, factor_summary, weights_adjust

REGION = {"a": 4000.0, "b": 3000.0, "c": 2000.0}
SEX = {"1": 4600.0, "2": 4400.0}
AGE_TOTAL = 9000 * 14.1


@pytest.fixture(scope="module")
def survey() -> dict[str, Any]:
    rng = np.random.default_rng(7)
    n = 3000
    region = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    sex = rng.choice([1.0, 2.0], n)
    weight = rng.uniform(1, 5, n)
    age = rng.uniform(10, 18, n)
    table = {"region": array_from_arrow(pa.array(region)), "sex": sex, "age": age}
    frame = pl.DataFrame({"w": weight, "region": region, "sex": sex, "age": age})
    return {"table": table, "weight": weight, "sample": svy.Sample(frame, svy.Design(wgt="w"))}


def _close(mine: np.ndarray, theirs: Any) -> float:
    peer = np.asarray(theirs.to_numpy(), dtype=np.float64)
    return float(np.max(np.abs(mine - peer) / peer))


def test_poststratify_equals_svy(survey: dict[str, Any]) -> None:
    peer = survey["sample"].weighting.poststratify(controls=REGION, cells="region", wgt_name="p")
    mine = weights_adjust(
        survey["table"], survey["weight"], [Margin("region", REGION)], method="poststratify"
    )
    assert _close(mine.weights, peer.data["p"]) < 1e-9 and mine.iterations == 1


def test_rake_equals_svy_run_to_convergence(survey: dict[str, Any]) -> None:
    peer = survey["sample"].weighting.rake(
        controls={"region": REGION, "sex": {1.0: 4600.0, 2.0: 4400.0}},
        wgt_name="r",
        tol=1e-13,
        max_iter=1000,
    )
    margins = [Margin("region", REGION), Margin("sex", SEX)]
    mine = weights_adjust(survey["table"], survey["weight"], margins, method="rake")
    assert _close(mine.weights, peer.data["r"]) < 1e-9
    assert mine.misfit <= 1e-10 and mine.iterations > 1


def test_linear_calibration_with_a_continuous_total_equals_svy(survey: dict[str, Any]) -> None:
    peer = survey["sample"].weighting.calibrate(
        controls={
            Cat("region"): REGION,
            Cat("sex"): {1.0: 4600.0, 2.0: 4400.0},
            "age": AGE_TOTAL,
        },
        wgt_name="c",
    )
    margins = [Margin("region", REGION), Margin("sex", SEX), Margin("age", total=AGE_TOTAL)]
    mine = weights_adjust(survey["table"], survey["weight"], margins, method="linear")
    assert _close(mine.weights, peer.data["c"]) < 1e-9
    assert abs(float(mine.weights @ survey["table"]["age"]) - AGE_TOTAL) < 1e-6


def test_logit_keeps_factors_within_bounds_and_meets_every_total(survey: dict[str, Any]) -> None:
    margins = [Margin("region", REGION), Margin("sex", SEX), Margin("age", total=AGE_TOTAL)]
    unbounded = weights_adjust(survey["table"], survey["weight"], margins, method="linear")
    low = 1 - 0.8 * (1 - float(unbounded.factors.min()))
    high = 1 + 0.8 * (float(unbounded.factors.max()) - 1)
    assert low < 1 < high
    mine = weights_adjust(
        survey["table"], survey["weight"], margins, method="logit", bounds=(low, high)
    )
    assert low < mine.factors.min() and mine.factors.max() < high
    assert mine.misfit <= 1e-10


def test_logit_with_open_bounds_tends_to_raking(survey: dict[str, Any]) -> None:
    margins = [Margin("region", REGION), Margin("sex", SEX)]
    raked = weights_adjust(survey["table"], survey["weight"], margins, method="rake")
    logit = weights_adjust(
        survey["table"], survey["weight"], margins, method="logit", bounds=(1e-9, 1e9)
    )
    assert float(np.max(np.abs(logit.weights - raked.weights) / raked.weights)) < 1e-6


def test_replicates_are_adjusted_like_the_main_weight(survey: dict[str, Any]) -> None:
    rng = np.random.default_rng(3)
    replicates = survey["weight"][:, None] * rng.uniform(0.5, 1.5, (len(survey["weight"]), 4))
    margins = [Margin("region", REGION), Margin("sex", SEX)]
    both = weights_adjust(
        survey["table"], survey["weight"], margins, method="rake", replicates=replicates
    )
    assert both.replicates is not None and both.replicates.shape == (len(survey["weight"]), 4)
    for j in range(4):
        alone = weights_adjust(survey["table"], replicates[:, j], margins, method="rake")
        assert np.allclose(both.replicates[:, j], alone.weights, rtol=1e-12)
    summary = factor_summary(both)
    assert summary["min"] <= summary["median"] <= summary["max"] and summary["effect"] >= 1


def test_categories_that_differ_are_named(survey: dict[str, Any]) -> None:
    margins = [Margin("region", {"a": 1.0, "b": 2.0, "z": 3.0})]
    with pytest.raises(InputError) as error:
        weights_adjust(survey["table"], survey["weight"], margins, method="poststratify")
    assert error.value.code == "weight_categories_differ"
    assert error.value.params == {"column": "region", "only_data": "c", "only_margins": "z"}


@pytest.mark.parametrize(
    ("margins", "method", "bounds", "code"),
    [
        (
            [Margin("region", REGION), Margin("sex", {"1": 1.0, "2": 2.0})],
            "rake",
            None,
            "weight_margins_disagree",
        ),
        (
            [Margin("region", REGION), Margin("sex", SEX)],
            "poststratify",
            None,
            "weight_poststratify_one",
        ),
        ([Margin("age", total=1.0)], "rake", None, "weight_continuous_method"),
        ([Margin("region", REGION)], "logit", None, "option_required"),
        ([Margin("region", REGION)], "logit", (1.2, 2.0), "weight_bounds_invalid"),
        ([Margin("region", {**REGION, "a": 0.0})], "linear", None, "weight_total_invalid"),
        ([Margin("nowhere", REGION)], "linear", None, "column_missing"),
        (
            [Margin("region", {"a": 10.0, "b": 1e6, "c": 10.0})],
            "linear",
            (0.5, 2.0),
            "weight_bounds_exceeded",
        ),
    ],
)
def test_refusals(
    survey: dict[str, Any],
    margins: list[Margin],
    method: str,
    bounds: tuple[float, float] | None,
    code: str,
) -> None:
    with pytest.raises((InputError, OptionError)) as error:
        weights_adjust(survey["table"], survey["weight"], margins, method=method, bounds=bounds)
    assert error.value.code == code
