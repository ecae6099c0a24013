"""Weighted totals and unweighted counts released under differential privacy: exact given an
injected generator, cells and categories fixed in advance, refusals."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from numpy.typing import NDArray

from copcore.stats.errors import InputError, OptionError
from copcore.stats.estimate import Request
from copcore.stats.estimate_private import PRIVATE_TAIL, estimate_private
from copcore.stats.privacy import SAMPLER_RNG, dp_calibrate, dp_calibrate_counts

# Eight children: a 0/1 item (one missing), sex (one not listed), region, a survey weight.
DATA: dict[str, Any] = {
    "y": np.array([1.0, 0.0, 1.0, 1.0, np.nan, 1.0, 0.0, 1.0]),
    "sex": np.array(["f", "m", "f", "m", "f", "x", "m", "f"], dtype=object),
    "region": np.array([1.0, 1.0, 2.0, 2.0, 2.0, 1.0, 3.0, 3.0]),
    "w": np.array([10.0, 20.0, 500.0, 40.0, 30.0, 60.0, 70.0, 80.0]),
}
LEVELS = {"sex": ("f", "m"), "region": ("1", "2", "3", "4")}
CAP = 100.0


def _capped() -> NDArray[np.float64]:
    return np.minimum(np.asarray(DATA["w"], dtype=np.float64), CAP)


def test_a_weighted_total_is_the_capped_sum_plus_laplace_noise() -> None:
    result, calibration = estimate_private(
        DATA,
        [Request("total", "y")],
        [("sex",)],
        weight="w",
        levels=LEVELS,
        epsilon=1.0,
        weight_cap=CAP,
        rng=np.random.default_rng(7),
    )
    assert calibration == dp_calibrate(1.0, CAP, queries=2)  # y × (_T, sex)
    noise = np.random.default_rng(7).laplace(0.0, calibration.scale, size=3)
    w, y, sex = _capped(), DATA["y"] == 1.0, DATA["sex"]
    exact = [w[y].sum(), w[y & (sex == "f")].sum(), w[y & (sex == "m")].sum()]
    rows = result.rows()
    assert [(r["category"], r["sex"]) for r in rows] == [("", "_T"), ("", "f"), ("", "m")]
    drawn = np.array([r["dp_total"] for r in rows])
    np.testing.assert_allclose(drawn, np.array(exact) + noise, rtol=1e-12)
    assert [r["estimate"] for r in rows] == [max(d, 0.0) for d in drawn]
    assert exact == [290.0, 190.0, 40.0]  # the 500 is capped; "x" is counted in _T only
    for row in rows:
        assert row["statistic"] == "total" and row["variable"] == "y"
        assert row["dp_mechanism"] == "laplace" and row["dp_sampler"] == SAMPLER_RNG
        assert (row["dp_epsilon"], row["dp_scale"]) == (calibration.epsilon, calibration.scale)
        assert row["dp_weight_cap"] == CAP
    assert result.column_names == ("statistic", "variable", "category", "sex", *PRIVATE_TAIL)
    assert result.metadata["dp_queries"] == "2" and result.metadata["weight"] == "w"
    assert result.metadata["dp_weight_cap"] == "100.0"


def test_a_categorical_total_releases_every_listed_level_as_one_histogram() -> None:
    result, calibration = estimate_private(
        DATA,
        [Request("total", "sex")],
        [("region",)],
        weight="w",
        levels=LEVELS,
        epsilon=0.5,
        weight_cap=CAP,
        rng=np.random.default_rng(2),
    )
    # Categories × cells of one breakdown are disjoint: one query each for _T and region.
    assert calibration.queries == 2 and calibration.epsilon <= 0.5
    noise = np.random.default_rng(2).laplace(0.0, calibration.scale, size=2 + 2 * 4)
    rows = result.rows()
    assert [(r["category"], r["region"]) for r in rows] == [
        ("f", "_T"),
        ("m", "_T"),
        *((s, r) for r in ("1", "2", "3", "4") for s in ("f", "m")),
    ]
    w, sex, region = _capped(), DATA["sex"], DATA["region"]
    # Query cells are numbered category × cell: noise[2 + code·4 + cell].
    assert rows[0]["dp_total"] == pytest.approx(w[sex == "f"].sum() + noise[0], rel=1e-12)
    assert rows[1]["dp_total"] == pytest.approx(w[sex == "m"].sum() + noise[1], rel=1e-12)
    for row in rows[2:]:
        code, cell = ("f", "m").index(row["category"]), int(row["region"]) - 1
        exact = w[(sex == row["category"]) & (region == cell + 1)].sum()
        assert row["dp_total"] == pytest.approx(exact + noise[2 + code * 4 + cell], rel=1e-12)
    empty = [r for r in rows if r["region"] == "4"]
    assert len(empty) == 2  # listed, absent from the data, released all the same


def test_unweighted_counts_are_whole_numbers_with_discrete_laplace_noise() -> None:
    result, calibration = estimate_private(
        DATA,
        [Request("total", "y"), Request("total", "sex")],
        weight=None,
        levels=LEVELS,
        epsilon=1.0,
        rng=np.random.default_rng(4),
    )
    assert calibration == dp_calibrate_counts(1.0, queries=2)
    assert calibration.scale == 2.0 and calibration.weight_cap == 1.0
    rng = np.random.default_rng(4)
    p = 1.0 - math.exp(-1.0 / calibration.scale)
    noise = rng.geometric(p, size=3) - rng.geometric(p, size=3)
    rows = result.rows()
    assert [(r["variable"], r["category"]) for r in rows] == [("y", ""), ("sex", "f"), ("sex", "m")]
    assert [r["dp_total"] for r in rows] == list(np.array([5.0, 4.0, 3.0]) + noise)
    assert {r["dp_mechanism"] for r in rows} == {"discrete_laplace"}
    assert {r["dp_weight_cap"] for r in rows} == {1.0}
    assert result.metadata["weight"] == "" and result.by_columns == ()


def test_negative_noisy_totals_show_as_zero_and_keep_their_draw() -> None:
    sparse = {"y": np.zeros(6), "g": np.array(["a", "b", "a", "b", "a", "b"], dtype=object)}
    result, _ = estimate_private(
        pa.table(sparse),
        [Request("total", "y")],
        [("g",)],
        weight=None,
        levels={"g": ("a", "b", "c")},
        epsilon=0.1,
        rng=np.random.default_rng(1),
    )
    rows = result.rows()
    assert len(rows) == 4 and any(r["dp_total"] < 0 for r in rows)
    assert all(r["estimate"] == max(r["dp_total"], 0.0) for r in rows)


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (dict(requests=[Request("prop", "y")]), "dp_statistic_unsupported"),
        (dict(requests=[Request("mean", "y")]), "dp_statistic_unsupported"),
        (dict(requests=[Request("total", "sex")], levels={}), "dp_levels_missing"),
        (dict(by=[("region",)], levels={}), "dp_levels_missing"),
        (dict(requests=[Request("total", "region")], levels={}), "dp_not_binary"),
        (dict(weight=None), "option_invalid"),  # a cap without a weight
        (dict(weight_cap=None), "option_invalid"),  # a weight without a cap
        (dict(levels={"sex": ("f", "f")}), "option_invalid"),
        (dict(epsilon=0.0), "option_invalid"),
        (dict(requests=[Request("total", "nope")]), "column_missing"),
    ],
)
def test_refusals(call: dict[str, Any], code: str) -> None:
    arguments: dict[str, Any] = {
        "requests": [Request("total", "y")],
        "by": (),
        "weight": "w",
        "levels": LEVELS,
        "epsilon": 1.0,
        "weight_cap": CAP,
        **call,
    }
    with pytest.raises((OptionError, InputError)) as caught:
        estimate_private(DATA, **arguments)
    assert caught.value.code == code


def test_a_non_binary_value_is_named_by_column_and_row() -> None:
    with pytest.raises(InputError) as caught:
        estimate_private(DATA, [Request("total", "region")], weight=None, levels={}, epsilon=1.0)
    assert caught.value.code == "dp_not_binary"
    assert dict(caught.value.params) == {"column": "region", "row": 3, "value": 2.0}
