"""Benchmark: copstats ratio estimators vs svy's ``estimation.ratio`` (Taylor), 5 ratios × 17
domains (overall, age band × sex, region).

Run: ``.venv/bin/python benchmarks/stats/bench_ratio.py [--rows 200000] [--skip-svy]``.

Both engines run in this process on the same data already in memory (a ``copstats synth``
file); the times are estimation only, best of ``--repeat`` runs, and the largest relative
difference of estimates and SEs between the two is printed as a check.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

RATIOS = [("R1", "A1"), ("R2", "A1"), ("C1", "R1"), ("S1", "A2"), ("R5", "A1")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-svy", action="store_true")
    args = parser.parse_args()
    from copcore.stats import Design, Request, estimate

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "synth.parquet"
        subprocess.run(
            [sys.executable, "-m", "copcore.stats.cli", "synth", "--rows", str(args.rows),
             "--countries", "1", "--seed", "11", "--strata", "200", "--psus", "2000",
             "--out", str(path)],
            check=True,
        )  # fmt: skip
        names = sorted({c for pair in RATIOS for c in pair} | {"weight", "stratum", "psu"})
        arrow = pq.read_table(path, columns=[*names, "age", "sex", "region"])
    table = {name: arrow[name].to_numpy(zero_copy_only=False) for name in arrow.column_names}
    for name in names:
        table[name] = np.asarray(table[name], dtype=np.float64)
    age = table["age"].astype(float)
    table["age_band"] = np.where(age <= 11, "9-11", np.where(age <= 14, "12-14", "15-17")).astype(
        object
    )
    table["sex"] = np.asarray([str(v) for v in table["sex"]], dtype=object)
    table["region"] = np.asarray([str(v) for v in table["region"]], dtype=object)
    requests = [Request("ratio", y, x) for y, x in RATIOS]
    design = Design("weight", "stratum", "psu")
    by = [("age_band", "sex"), ("region",)]
    best = np.inf
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = estimate(table, design, requests, by=by)
        best = min(best, time.perf_counter() - start)
    print(f"data: {args.rows:,} rows, 2,000 PSUs in 200 strata, {len(RATIOS)} ratios x 17 domains")
    print(f"copstats: {best:.3f} s, {result.n_rows} rows")
    if args.skip_svy:
        return 0
    import polars as pl
    import svy

    frame = pl.DataFrame(
        {
            name: pl.Series(name, values.tolist(), nan_to_null=True)
            for name, values in table.items()
            if name in (*names, "age_band", "sex", "region")
        }
    )
    sample = svy.Sample(frame, svy.Design(stratum="stratum", psu="psu", wgt="weight"))
    peer_best = np.inf
    peer: dict[tuple[str, ...], tuple[float, float]] = {}
    for _ in range(args.repeat):
        start = time.perf_counter()
        for y, x in RATIOS:
            for group in (None, ["age_band", "sex"], "region"):
                out = sample.estimation.ratio(y, x, by=group, drop_nulls=True, deff="wr")
                for row in out.to_polars().iter_rows(named=True):
                    levels = tuple(
                        str(row[c]) for c in ([group] if isinstance(group, str) else group or [])
                    )
                    peer[(f"{y}/{x}", *levels)] = (row["est"], row["se"])
        peer_best = min(peer_best, time.perf_counter() - start)
    worst = 0.0
    for row in result.rows():
        levels = tuple(v for c in ("age_band", "sex", "region") if (v := row[c]) != "_T")
        est, se = peer[(row["variable"], *levels)]
        worst = max(worst, abs(row["estimate"] / est - 1), abs(row["se"] / se - 1))
    print(
        f"svy: {peer_best:.3f} s; speed-up {peer_best / best:.1f}x; "
        f"largest relative difference {worst:.1e}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
