"""Bad input: typed errors with stable codes naming the column and row."""

from __future__ import annotations

import numpy as np
import pytest

from copcore.stats import Design, Request, estimate
from copcore.stats.errors import DesignError, InputError, OptionError, StatsError

BASE = {
    "stratum": np.array([1.0, 1, 2, 2]),
    "psu": np.array([1.0, 2, 3, 4]),
    "w": np.array([1.0, 2, 1, 1]),
    "y": np.array([1.0, 0, 1, 0]),
}
DESIGN = Design(weight="w", strata="stratum", psu="psu")


def _error(table, design=DESIGN, requests=None, **kwargs) -> StatsError:  # type: ignore[no-untyped-def]
    with pytest.raises(StatsError) as caught:
        estimate(table, design, requests or [Request("mean", "y")], **kwargs)
    return caught.value


def test_missing_column() -> None:
    error = _error(BASE, requests=[Request("mean", "nope")])
    assert isinstance(error, InputError)
    assert (error.code, error.params["column"]) == ("column_missing", "nope")


def test_non_numeric_weight_names_row() -> None:
    table = {**BASE, "w": np.array(["1", "2", "x", "1"], dtype=object)}
    error = _error(table)
    assert error.code == "weight_not_numeric"
    assert error.params == {"column": "w", "row": 3, "value": "x"}


@pytest.mark.parametrize("bad", [0.0, -2.0])
def test_zero_or_negative_weight(bad: float) -> None:
    table = {**BASE, "w": np.array([1.0, 2, 1, bad])}
    error = _error(table)
    assert (error.code, error.params["row"]) == ("weight_not_positive", 4)


def test_missing_weight() -> None:
    error = _error({**BASE, "w": np.array([1.0, np.nan, 1, 1])})
    assert (error.code, error.params["row"]) == ("weight_missing", 2)


def test_psu_in_two_strata_when_codes_are_declared_unique() -> None:
    table = {**BASE, "psu": np.array([1.0, 2, 2, 3])}
    error = _error(table, Design(weight="w", strata="stratum", psu="psu", psu_unique=True))
    assert isinstance(error, DesignError)
    assert error.code == "psu_in_two_strata"
    assert (error.params["psu"], error.params["row"], error.params["first_row"]) == ("2", 3, 2)


def test_singleton_fails_by_default_and_rules_apply() -> None:
    table = {**BASE, "stratum": np.array([1.0, 1, 1, 2])}
    error = _error(table)
    assert (error.code, error.params["stratum"]) == ("stratum_singleton", "2")
    for rule in ("certainty", "scale", "center"):
        estimate(table, DESIGN, [Request("mean", "y")], singleton=rule)


def test_no_valid_values() -> None:
    error = _error({**BASE, "y": np.full(4, np.nan)})
    assert (error.code, error.params["column"]) == ("no_valid_values", "y")


def test_non_numeric_mean_variable() -> None:
    error = _error({**BASE, "y": np.array(["1", "a", "0", "1"], dtype=object)})
    assert (error.code, error.params["row"]) == ("value_not_numeric", 2)


def test_fpc_checks() -> None:
    design = Design(weight="w", strata="stratum", psu="psu", fpc="N")
    assert _error({**BASE, "N": np.array([5.0, 6, 5, 5])}, design).code == "fpc_not_constant"
    assert _error({**BASE, "N": np.array([5.0, 5, 1.5, 1.5])}, design).code == "fpc_below_sample"
    assert _error({**BASE, "N": np.array([5.0, 5, -1, -1])}, design).code == "fpc_invalid"


def test_fpc_fractions_and_sizes_agree() -> None:
    sizes = estimate({**BASE, "N": np.array([8.0, 8, 4, 4])}, Design("w", "stratum", "psu", "N"),
                     [Request("mean", "y")])  # fmt: skip
    fractions = estimate({**BASE, "f": np.array([0.25, 0.25, 0.5, 0.5])},
                         Design("w", "stratum", "psu", "f"), [Request("mean", "y")])  # fmt: skip
    assert sizes.rows()[0]["se"] == pytest.approx(fractions.rows()[0]["se"], rel=1e-14)


def test_options_are_checked() -> None:
    assert isinstance(_error(BASE, ci="exact"), OptionError)
    assert _error(BASE, level=1.5).code == "option_invalid"
    assert _error(BASE, singleton="drop").params["option"] == "singleton"
