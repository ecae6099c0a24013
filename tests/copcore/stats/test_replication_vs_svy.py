"""copstats replicate-weight variance against svy (the peer, ``method="replication"``):
estimates within 1e-9 and SEs within 1e-6 relative, on Stata's nhanes2 BRR and jackknife files
and on replicate weights svy creates for generated designs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
import svy

from copcore.stats import Design, Request, estimate
from copcore.stats.design import Replicates
from copcore.stats.io import table_read
from tests.copcore.stats.svy_peer import svy_rows
from tests.copcore.stats.test_estimate_vs_svy import survey_table

DATA = Path(__file__).parent / "data"
EST_RTOL = 1e-9
SE_RTOL = 1e-6


def nhanes(name: str) -> dict[str, np.ndarray]:
    """A samplics nhanes2 subset with derived items: some heights missing, a 0/1 item, a
    three-level item and a by column."""
    table: dict[str, Any] = dict(table_read(DATA / name))
    rng = np.random.default_rng(3)
    height = np.asarray(table["height"], dtype=float).copy()
    height[rng.random(len(height)) < 0.05] = np.nan
    table["height"] = height
    table["tall"] = np.where(np.isnan(height), np.nan, (height > 170).astype(float))
    bmi = table["weight"] / (np.asarray(table["height"]) / 100) ** 2
    table["bmi_band"] = np.where(
        np.isnan(bmi), None, np.where(bmi < 22, "low", np.where(bmi < 27, "mid", "high"))
    ).astype(object)
    table["heavy"] = np.where(table["weight"] > 70, "heavy", "light").astype(object)
    table["finalwgt"] = np.asarray(table["finalwgt"], dtype=float)
    return table


REQUESTS = [("mean", "height"), ("prop", "tall"), ("prop", "bmi_band"), ("total", "weight")]


def _compare(
    table: dict[str, np.ndarray],
    replicates: Replicates,
    peer_wgts: Any,
    *,
    weight: str,
    by_columns: tuple[str, ...],
    requests: list[tuple[str, str]] = REQUESTS,
    center: str = "estimate",
) -> int:
    design = Design(weight=weight, replicates=replicates)
    bys = [(c,) for c in by_columns]
    result = estimate(table, design, [Request(s, v) for s, v in requests], by=bys)  # type: ignore[arg-type]
    assert result.metadata["variance"] == "replication"
    assert result.metadata["replicates"] == peer_wgts.n_reps
    rows = result.rows()
    peer_table = {k: v for k, v in table.items() if v.dtype.kind == "f" or k in by_columns}
    peer_table.update({v: table[v] for _, v in requests})
    compared = 0
    for statistic, variable in requests:
        for by in [(), *bys]:
            peer = svy_rows(
                peer_table,
                weight=weight,
                strata=None,
                psu=None,
                fpc=None,
                statistic=statistic,
                variable=variable,
                by=by or None,
                rep_wgts=peer_wgts,
                variance_center="estimate" if center == "estimate" else "rep_mean",
            )
            mine = [
                r
                for r in rows
                if r["statistic"] == statistic
                and r["variable"] == variable
                and all((r[c] == "_T") == (c not in by) for c in by_columns)
            ]
            assert len(mine) == len(peer), (statistic, variable, by)
            for row in mine:
                key = (row["category"], *(row[c] for c in by))
                other = peer[key]
                assert row["estimate"] == pytest.approx(other["est"], rel=EST_RTOL), key
                assert row["se"] == pytest.approx(other["se"], rel=SE_RTOL), key
                assert row["n"] == other["n"], key
                assert row["df"] == other["df"], key
                for mine_ci, peer_ci in (("ci_low", "lci"), ("ci_high", "uci")):
                    assert row[mine_ci] == pytest.approx(other[peer_ci], rel=1e-6), key
                compared += 1
    return compared


@pytest.mark.parametrize("center", ["estimate", "mean"])
def test_nhanes2_brr(center: str) -> None:
    table = nhanes("nhanes2brr_subset.csv")
    replicates = Replicates(("brr_",), "brr", center=center)  # type: ignore[arg-type]
    peer = svy.BrrWgts(prefix="brr_", n_reps=32)
    assert (
        _compare(table, replicates, peer, weight="finalwgt", by_columns=("heavy",), center=center)
        > 20
    )


def test_nhanes2_fay() -> None:
    """Fay replicates made from the BRR ones: ρw for the half left out, (2 - ρ)w kept."""
    table = nhanes("nhanes2brr_subset.csv")
    rho = 0.3
    for r in range(1, 33):
        table[f"fay{r}"] = rho * table["finalwgt"] + (1 - rho) * np.asarray(table[f"brr_{r}"])
    replicates = Replicates(("fay",), "fay", fay=rho)
    peer = svy.BrrWgts(prefix="fay", n_reps=32, fay_coef=rho)
    assert _compare(table, replicates, peer, weight="finalwgt", by_columns=("heavy",)) > 20


def test_nhanes2_jackknife_jk1_and_jkn_multiplier() -> None:
    table = nhanes("nhanes2jk_subset.csv")
    jk1 = _compare(
        table,
        Replicates(("jkw_",), "jk1"),
        svy.JackknifeWgts(prefix="jkw_", n_reps=62),
        weight="finalwgt",
        by_columns=("heavy",),
    )
    # nhanes2jk: 31 strata of 2 PSUs, so JKn's (n_h - 1)/n_h is 0.5 for every replicate.
    jkn = _compare(
        table,
        Replicates(("jkw_",), "jkn", multipliers=(0.5,)),
        svy.JackknifeWgts(prefix="jkw_", n_reps=62, kind="jkn", scale=0.5),
        weight="finalwgt",
        by_columns=("heavy",),
    )
    assert jk1 > 20 and jkn > 20


def _svy_created(
    table: dict[str, np.ndarray], create: str, **options: Any
) -> tuple[dict[str, np.ndarray], Any]:
    """Replicate weights svy makes for ``table``'s design, added to the table."""
    frame = pl.DataFrame(
        {
            name: pl.Series(name, values.tolist(), dtype=pl.Float64, nan_to_null=True)
            if values.dtype.kind == "f"
            else pl.Series(name, values.tolist())
            for name, values in table.items()
        }
    )
    sample = svy.Sample(frame, svy.Design(wgt="wt", stratum="stratum", psu="psu"))
    sample = getattr(sample.weighting, create)(rep_prefix="rw", **options)
    wgts = sample._design.rep_wgts
    out = dict(table)
    data = sample._data
    for name in wgts.columns_from_data(data.columns):
        out[name] = data[name].to_numpy().astype(np.float64)
    return out, wgts


GENERATED = {
    "jkn": ("create_jk_wgts", {}, "jkn"),
    "bootstrap": ("create_bs_wgts", {"n_reps": 40, "rstate": 5}, "bootstrap"),
    "sdr": ("create_sdr_wgts", {"n_reps": 12}, "sdr"),
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_designs(name: str) -> None:
    create, options, method = GENERATED[name]
    table, wgts = _svy_created(survey_table(13, missing=True), create, **options)
    multipliers = tuple(wgts.rep_coefs) if method == "jkn" else None
    # svy records the df of the weights it creates (PSUs - strata for the jackknife).
    replicates = Replicates(("rw",), method, multipliers=multipliers, df=int(wgts.df))  # type: ignore[arg-type]
    requests = [("prop", "item"), ("prop", "cat"), ("mean", "score"), ("total", "score")]
    assert (
        _compare(
            table, replicates, wgts, weight="wt", by_columns=("region", "sex"), requests=requests
        )
        > 40
    )


def test_generated_brr_and_df() -> None:
    table = survey_table(17, psus=(2, 2), n_strata=9, missing=True)
    table, wgts = _svy_created(table, "create_brr_wgts")
    requests = [("prop", "item"), ("mean", "score"), ("total", "item")]
    assert wgts.n_reps == 12
    replicates = Replicates(("rw",), "brr", df=int(wgts.df))
    assert (
        _compare(table, replicates, wgts, weight="wt", by_columns=("region",), requests=requests)
        > 10
    )


def test_jkn_multipliers_derived_from_strata_and_psu() -> None:
    """``(n_h - 1)/n_h`` found from the stratum of the PSU each replicate deletes equals the
    coefficients svy records when it creates the weights."""
    table, wgts = _svy_created(survey_table(13), "create_jk_wgts")
    derived = Design(
        weight="wt", strata="stratum", psu="psu", replicates=Replicates(("rw",), "jkn")
    )
    given = Design(
        weight="wt", replicates=Replicates(("rw",), "jkn", multipliers=tuple(wgts.rep_coefs))
    )
    requests = [Request("mean", "score"), Request("prop", "cat")]
    one = estimate(table, derived, requests, by=[("region",)])
    two = estimate(table, given, requests, by=[("region",)])
    np.testing.assert_allclose(one.columns["se"], two.columns["se"], rtol=1e-12)


def test_domain_missing_from_a_replicate_has_no_se() -> None:
    """A domain held by one PSU vanishes from the replicate deleting it: its ratio is undefined
    there, so the SE is blank, as svy (and R ``survey``) leave it."""
    table = survey_table(13)
    table["rare"] = np.where(table["psu"] == 105, "yes", "no").astype(object)
    table, wgts = _svy_created(table, "create_jk_wgts")
    design = Design(
        weight="wt", replicates=Replicates(("rw",), "jkn", multipliers=tuple(wgts.rep_coefs))
    )
    rows = estimate(table, design, [Request("mean", "score")], by=[("rare",)]).rows()
    peer = svy_rows(
        table, weight="wt", strata=None, psu=None, fpc=None, statistic="mean",
        variable="score", by=("rare",), rep_wgts=wgts,
    )  # fmt: skip
    rare = next(r for r in rows if r["rare"] == "yes")
    assert rare["se"] is None and np.isnan(peer[("", "yes")]["se"])
    assert rare["estimate"] == pytest.approx(peer[("", "yes")]["est"], rel=EST_RTOL)
