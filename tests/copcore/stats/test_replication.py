"""Replicate weights supplied with the data: resolving the columns, validating them and the
options, the multipliers of each method."""

from __future__ import annotations

import numpy as np
import pytest

from copcore.stats import Design, Request, estimate
from copcore.stats.design import Replicates
from copcore.stats.errors import InputError, OptionError, StatsError
from copcore.stats.replication import replicate_columns_resolve, replicates_prepare


def test_prefix_resolves_in_numeric_order() -> None:
    names = ["w", "brr_10", "brr_2", "brr_1", "x", *(f"brr_{i}" for i in range(3, 10))]
    assert replicate_columns_resolve(["brr_"], names) == tuple(f"brr_{i}" for i in range(1, 11))
    assert replicate_columns_resolve(["r"], ["r01", "r02", "r03"]) == ("r01", "r02", "r03")
    assert replicate_columns_resolve(["b", "a"], ["a", "b"]) == ("b", "a")


@pytest.mark.parametrize(
    ("spec", "names", "code", "param"),
    [
        (["brr_"], ["brr_1", "brr_3"], "rep_column_missing", "brr_2"),
        (["brr_"], ["w"], "rep_columns_missing", "brr_"),
        (["brr_"], ["brr_1", "brr_01", "brr_2"], "rep_column_twice", "brr_01"),
        (["brr_"], ["brr_1"], "rep_too_few", 1),
        (["a", "zz"], ["a", "b"], "rep_column_missing", "zz"),
    ],
)
def test_column_errors(spec: list[str], names: list[str], code: str, param: object) -> None:
    with pytest.raises(StatsError) as error:
        replicate_columns_resolve(spec, names)
    assert error.value.code == code
    assert param in error.value.params.values()


def _table() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(1)
    n = 40
    table = {"w": rng.uniform(1, 3, n), "y": rng.normal(size=n)}
    for r in range(1, 5):
        table[f"r{r}"] = table["w"] * rng.uniform(0.5, 1.5, n)
    return table


@pytest.mark.parametrize(
    ("method", "fay", "expected"),
    [("brr", 0.0, 1 / 4), ("fay", 0.5, 1 / (4 * 0.25)), ("jk1", 0.0, 3 / 4),
     ("bootstrap", 0.0, 1 / 4), ("sdr", 0.0, 1.0)],
)  # fmt: skip
def test_default_multipliers(method: str, fay: float, expected: float) -> None:
    spec = Replicates(("r",), method, fay=fay)  # type: ignore[arg-type]
    prepared = replicates_prepare(_table(), Design(weight="w", replicates=spec))
    assert prepared.multipliers == pytest.approx([expected] * 4)
    assert prepared.df == 3 and prepared.n_replicates == 4


def test_variance_by_hand() -> None:
    table = _table()
    spec = Replicates(("r",), "jk1", multipliers=(0.3, 0.2, 0.1, 0.4), center="mean")
    result = estimate(table, Design(weight="w", replicates=spec), [Request("mean", "y")])
    reps = np.array(
        [(table[f"r{r}"] * table["y"]).sum() / table[f"r{r}"].sum() for r in range(1, 5)]
    )
    variance = float(np.sum(np.array([0.3, 0.2, 0.1, 0.4]) * (reps - reps.mean()) ** 2))
    assert result.columns["se"][0] == pytest.approx(np.sqrt(variance), rel=1e-12)
    assert result.columns["df"][0] == 3


@pytest.mark.parametrize(("value", "shown"), [(-1.0, "-1.0"), (np.nan, "nan")])
def test_bad_replicate_weight_names_column_and_row(value: float, shown: str) -> None:
    table = _table()
    table["r3"] = table["r3"].copy()
    table["r3"][6] = value
    with pytest.raises(InputError) as error:
        replicates_prepare(table, Design(weight="w", replicates=Replicates(("r",), "brr")))
    assert error.value.code == "rep_weight_invalid"
    assert error.value.params == {"column": "r3", "row": 7, "value": shown}


@pytest.mark.parametrize(
    ("design", "code"),
    [
        (
            Design(weight="w", replicates=Replicates(("r",), "jkn", multipliers=(1, 2))),
            "rep_multipliers_count",
        ),
        (Design(weight="w", replicates=Replicates(("r",), "fay", fay=1.0)), "option_invalid"),
        (Design(weight="w", replicates=Replicates(("r",), "fay")), "option_needs"),
        (Design(replicates=Replicates(("r",), "brr")), "option_needs"),
        (Design(weight="w", psu="y", replicates=Replicates(("r",), "brr")), "option_conflict"),
        (Design(weight="w", replicates=Replicates(("r",), "jkn")), "option_needs"),
        (Design(weight="w", replicates=Replicates(("r",), "jk3")), "option_invalid"),  # type: ignore[arg-type]
        (Design(weight="w", replicates=Replicates(("r",), "brr", center="x")), "option_invalid"),  # type: ignore[arg-type]
    ],
)
def test_option_errors(design: Design, code: str) -> None:
    with pytest.raises(OptionError) as error:
        replicates_prepare(_table(), design)
    assert error.value.code == code


def test_jkn_derivation_refuses_weights_that_are_not_delete_one() -> None:
    table = _table()
    table["s"] = np.repeat([1.0, 2.0], 20)
    table["p"] = np.tile(np.repeat([1.0, 2.0], 10), 2)
    spec = Replicates(("r",), "jkn")
    with pytest.raises(InputError) as error:
        replicates_prepare(table, Design(weight="w", strata="s", psu="p", replicates=spec))
    assert error.value.code == "rep_jkn_not_delete_one" and error.value.params["column"] == "r1"


def test_blocks_of_rows_give_the_same_sums(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows are gathered in blocks; any block size gives the same result."""
    table = _table()
    table["g"] = np.array(["a", "b", "c", "d"], dtype=object)[np.arange(40) % 4]
    design = Design(weight="w", replicates=Replicates(("r",), "bootstrap"))
    requests = [Request("mean", "y"), Request("total", "y")]
    whole = estimate(table, design, requests, by=[("g",)])
    monkeypatch.setattr("copcore.stats.replication._BLOCK_ROWS", 7)
    blocks = estimate(table, design, requests, by=[("g",)])
    for name in ("estimate", "se", "n", "deff"):
        np.testing.assert_allclose(blocks.columns[name], whole.columns[name], rtol=1e-12)
