"""copstats ratio estimators (``--ratio Y/X``) against svy's ``estimation.ratio``: estimates
within 1e-9 and SEs within 1e-6 relative (plus n, df, CIs and, for Taylor, deff), Taylor and
replicate weights, on Stata's nhanes2 files and on generated designs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import svy

from copcore.stats import Design, Request, estimate
from copcore.stats.design import Replicates
from tests.copcore.stats.svy_peer import svy_rows
from tests.copcore.stats.test_estimate_vs_svy import DESIGNS, survey_table
from tests.copcore.stats.test_replication_vs_svy import nhanes

EST_RTOL = 1e-9
SE_RTOL = 1e-6


def with_ratio_columns(table: dict[str, np.ndarray], seed: int) -> dict[str, np.ndarray]:
    """A positive denominator with some values missing, and a 0/1 denominator (a ratio to an
    indicator is a ratio, not a domain mean: its rows with 0 stay in the universe)."""
    rng = np.random.default_rng(seed)
    rows = len(table["wt"])
    size = 2 + 0.3 * np.nan_to_num(table["score"], nan=10.0) + rng.uniform(0, 3, rows)
    size[rng.random(rows) < 0.08] = np.nan
    out = dict(table)
    out["size"] = size
    out["flag"] = (rng.random(rows) < 0.6).astype(float)
    return out


RATIOS = [("score", "size"), ("item", "size"), ("score", "flag")]


def _compare(
    table: dict[str, np.ndarray],
    design: Design,
    ratios: list[tuple[str, str]],
    by_columns: tuple[str, ...],
    *,
    peer: dict[str, Any],
    rep_wgts: Any = None,
) -> int:
    bys = [(c,) for c in by_columns]
    if len(by_columns) > 1:
        bys.append(by_columns)
    requests = [Request("ratio", y, x) for y, x in ratios]
    result = estimate(table, design, requests, by=bys)
    rows = result.rows()
    compared = 0
    for y, x in ratios:
        for by in [(), *bys]:
            other_rows = svy_rows(
                table,
                **peer,
                statistic="ratio",
                variable=y,
                denominator=x,
                by=by or None,
                rep_wgts=rep_wgts,
            )
            mine = [
                r
                for r in rows
                if r["variable"] == f"{y}/{x}"
                and all((r[c] == "_T") == (c not in by) for c in by_columns)
            ]
            assert len(mine) == len(other_rows), (y, x, by)
            for row in mine:
                assert row["statistic"] == "ratio"
                key = ("", *(row[c] for c in by))
                other = other_rows[key]
                assert row["estimate"] == pytest.approx(other["est"], rel=EST_RTOL), key
                assert row["se"] == pytest.approx(other["se"], rel=SE_RTOL), key
                assert row["n"] == other["n"], key
                assert row["df"] == other["df"], key
                if rep_wgts is None:
                    assert row["deff"] == pytest.approx(other["deff"], rel=1e-7), key
                for mine_ci, peer_ci in (("ci_low", "lci"), ("ci_high", "uci")):
                    assert row[mine_ci] == pytest.approx(other[peer_ci], rel=1e-7), key
                compared += 1
    return compared


@pytest.mark.parametrize("name", sorted(set(DESIGNS) - {"srs-unweighted"}))
def test_taylor_generated_designs(name: str) -> None:
    table = with_ratio_columns(survey_table(7, missing=True), 1)
    spec = DESIGNS[name]
    compared = _compare(
        table, Design(**spec), RATIOS, ("region", "sex"), peer={**spec, "singleton": None}
    )
    assert compared == 3 * (1 + 3 + 2 + 6)


def test_taylor_nhanes2_weights_only() -> None:
    table = nhanes("nhanes2brr_subset.csv")
    peer = {"weight": "finalwgt", "strata": None, "psu": None, "fpc": None}
    compared = _compare(
        table, Design(weight="finalwgt"), [("weight", "height")], ("heavy",), peer=peer
    )
    assert compared == 3


REPLICATED = {
    "brr": ("nhanes2brr_subset.csv", Replicates(("brr_",), "brr"), svy.BrrWgts, "brr_", 32),
    "jk1": ("nhanes2jk_subset.csv", Replicates(("jkw_",), "jk1"), svy.JackknifeWgts, "jkw_", 62),
}


@pytest.mark.parametrize("name", sorted(REPLICATED))
def test_replicates_nhanes2(name: str) -> None:
    path, replicates, kind, prefix, count = REPLICATED[name]
    table = nhanes(path)
    table["tall_n"] = np.asarray(table["tall"], dtype=float)
    peer = {"weight": "finalwgt", "strata": None, "psu": None, "fpc": None}
    compared = _compare(
        table,
        Design(weight="finalwgt", replicates=replicates),
        [("weight", "height"), ("tall_n", "weight")],
        ("heavy",),
        peer=peer,
        rep_wgts=kind(prefix=prefix, n_reps=count),
    )
    assert compared == 2 * 3


def test_replicates_generated_jkn_and_bootstrap() -> None:
    from tests.copcore.stats.test_replication_vs_svy import _svy_created

    base = with_ratio_columns(survey_table(13, missing=True), 2)
    peer = {"weight": "wt", "strata": None, "psu": None, "fpc": None}
    for create, options, method in (
        ("create_jk_wgts", {}, "jkn"),
        ("create_bs_wgts", {"n_reps": 30, "rstate": 4}, "bootstrap"),
    ):
        table, wgts = _svy_created(base, create, **options)
        multipliers = tuple(wgts.rep_coefs) if method == "jkn" else None
        replicates = Replicates(("rw",), method, multipliers=multipliers, df=int(wgts.df))  # type: ignore[arg-type]
        compared = _compare(
            table,
            Design(weight="wt", replicates=replicates),
            RATIOS,
            ("region", "sex"),
            peer=peer,
            rep_wgts=wgts,
        )
        assert compared == 3 * (1 + 3 + 2 + 6)


def test_nearly_proportional_columns_keep_their_precision() -> None:
    """y almost exactly 1000 x: the residuals y - R x are a millionth of y, yet the SE (from
    power sums in the element design) still equals svy's."""
    rng = np.random.default_rng(4)
    rows = 500
    x = rng.uniform(50.0, 150.0, rows)
    table = {
        "wt": rng.uniform(0.5, 4.0, rows),
        "stratum": rng.integers(1, 5, rows).astype(float),
        "x": x,
        "y": 1000.0 * x + rng.normal(0.0, 0.1, rows),
        "region": rng.integers(1, 4, rows).astype(float),
    }
    peer = {"weight": "wt", "strata": "stratum", "psu": None, "fpc": None}
    design = Design(weight="wt", strata="stratum")
    assert _compare(table, design, [("y", "x")], ("region",), peer=peer) == 4
