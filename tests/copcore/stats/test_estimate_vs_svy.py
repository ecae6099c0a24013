"""copstats against svy (the peer): estimates and SEs within 1e-9 relative, over a design matrix.

svy 0.35 numbers PSUs within strata (R's ``nest=TRUE``); the generated PSU labels are unique
across strata so the two agree on what a PSU is.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from copcore.stats import Design, Request, estimate
from tests.copcore.stats.svy_peer import svy_rows

RTOL = 1e-9


def survey_table(
    seed: int,
    *,
    n_strata: int = 6,
    psus: tuple[int, int] = (2, 5),
    rows: int = 600,
    singleton_strata: int = 0,
    missing: bool = False,
) -> dict[str, np.ndarray]:
    """Clustered data with PSU effects; ``singleton_strata`` strata get one PSU."""
    rng = np.random.default_rng(seed)
    psu_per_stratum = rng.integers(psus[0], psus[1] + 1, n_strata)
    psu_per_stratum[:singleton_strata] = 1
    psu_stratum = np.repeat(np.arange(n_strata), psu_per_stratum)
    psu = rng.integers(0, len(psu_stratum), rows)
    psu[: len(psu_stratum)] = np.arange(len(psu_stratum))  # every PSU gets a row
    stratum = psu_stratum[psu]
    effect = rng.normal(0, 0.8, len(psu_stratum))[psu]
    item = (rng.random(rows) < 1 / (1 + np.exp(-(-0.7 + effect)))).astype(float)
    score = 10 + 3 * effect + rng.normal(0, 2, rows)
    cat = np.array(["low", "mid", "high"], dtype=object)[rng.integers(0, 3, rows)]
    population = (psu_per_stratum * rng.integers(2, 6, n_strata))[stratum].astype(float)
    table: dict[str, np.ndarray] = {
        "stratum": stratum.astype(float) + 1,
        "psu": psu.astype(float) + 101,
        "wt": rng.uniform(0.5, 4.0, rows),
        "item": item,
        "score": score,
        "cat": cat,
        "region": rng.integers(1, 4, rows).astype(float),
        "sex": np.array(["f", "m"], dtype=object)[rng.integers(0, 2, rows)],
        "npop": population,
    }
    if missing:
        for name in ("item", "score"):
            values = table[name].copy()
            values[rng.random(rows) < 0.15] = np.nan
            table[name] = values
        table["item"][table["psu"] == 101] = np.nan  # a PSU with no valid item
        cat = table["cat"].copy()
        cat[rng.random(rows) < 0.1] = None
        table["cat"] = cat
    return table


DESIGNS: dict[str, dict[str, Any]] = {
    "srs-unweighted": {"weight": None, "strata": None, "psu": None, "fpc": None},
    "weights-only": {"weight": "wt", "strata": None, "psu": None, "fpc": None},
    "strata-only": {"weight": "wt", "strata": "stratum", "psu": None, "fpc": None},
    "psu-only": {"weight": "wt", "strata": None, "psu": "psu", "fpc": None},
    "stratified-clustered": {"weight": "wt", "strata": "stratum", "psu": "psu", "fpc": None},
    "fpc": {"weight": "wt", "strata": "stratum", "psu": "psu", "fpc": "npop"},
}
REQUESTS = [
    ("prop", "item"),
    ("prop", "cat"),
    ("mean", "score"),
    ("total", "item"),
    ("total", "score"),
]
BYS: list[tuple[str, ...]] = [("region",), ("region", "sex")]


def _compare(
    table: dict[str, np.ndarray],
    spec: dict[str, Any],
    singleton: str = "fail",
    svy_singleton: str | None = None,
    ci: str = "logit",
) -> int:
    design = Design(**spec)
    requests = [Request(s, v) for s, v in REQUESTS]  # type: ignore[arg-type]
    result = estimate(table, design, requests, by=BYS, singleton=singleton, ci=ci)
    rows = result.rows()
    compared = 0
    for statistic, variable in REQUESTS:
        for by in [(), *BYS]:
            peer = svy_rows(
                table,
                **spec,
                statistic=statistic,
                variable=variable,
                by=by or None,
                singleton=svy_singleton,
                ci=ci,
            )
            mine = [
                r
                for r in rows
                if r["statistic"] == statistic
                and r["variable"] == variable
                and all((r[c] == "_T") == (c not in by) for c in ("region", "sex"))
            ]
            for row in mine:
                key = (row["category"], *(row[c] for c in by))
                if key not in peer:
                    assert row["n"] == 0, key
                    continue
                other = peer[key]
                assert row["estimate"] == pytest.approx(other["est"], rel=RTOL, abs=1e-12), key
                assert row["se"] == pytest.approx(other["se"], rel=RTOL, abs=1e-12), key
                assert row["n"] == other["n"], key
                assert row["df"] == other["df"], key
                if other["deff"] is not None and np.isfinite(other["deff"]):
                    assert row["deff"] == pytest.approx(other["deff"], rel=1e-7), key
                for mine_ci, peer_ci in (("ci_low", "lci"), ("ci_high", "uci")):
                    if other[peer_ci] is None or not np.isfinite(other[peer_ci]):
                        assert row[mine_ci] is None, key
                    else:
                        assert row[mine_ci] == pytest.approx(other[peer_ci], rel=1e-7), key
                compared += 1
    return compared


@pytest.mark.parametrize("name", sorted(DESIGNS))
@pytest.mark.parametrize("missing", [False, True])
def test_matches_svy(name: str, missing: bool) -> None:
    table = survey_table(7, missing=missing)
    assert _compare(table, DESIGNS[name]) > 50


@pytest.mark.parametrize(
    ("rule", "peer_rule"), [("certainty", "skip"), ("scale", "scale"), ("center", "center")]
)
def test_singleton_rules_match_svy(rule: str, peer_rule: str) -> None:
    table = survey_table(11, singleton_strata=2, missing=True)
    spec = DESIGNS["stratified-clustered"]
    assert _compare(table, spec, singleton=rule, svy_singleton=peer_rule) > 50


def test_korn_graubard_matches_svy() -> None:
    table = survey_table(5)
    assert _compare(table, DESIGNS["stratified-clustered"], ci="korn-graubard") > 50
