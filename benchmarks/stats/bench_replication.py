"""Benchmark: copstats vs svy with replicate weights (25 binary indicators × 17 domains, 80
bootstrap replicate weights), and a NumPy floor.

Run: ``.venv/bin/python benchmarks/stats/bench_replication.py [--rows 1000000] [--reps 80]``.

The data are ``copstats synth`` rows (2,000 PSUs in 200 strata) with ``--reps`` Rao–Wu
bootstrap replicate weights added by ``copstats replicate`` (timed too). copstats and svy each
run in their own subprocess doing the whole job (read the Parquet file with the replicate
columns, estimate, SE from the replicates in the mean-squared-error form, Korn–Graubard CI, n;
suppression for copstats), timed by wall clock with the child's own peak RSS
(``VmHWM`` of ``/proc/self/status``: ``resource.getrusage``'s ``ru_maxrss`` in a child started by
``subprocess`` already holds this process's peak, which a Linux ``exec`` passes on). The floor is the least arithmetic any exact method needs: one product of the 25
indicator columns (and the universe) by the ``n × (R + 1)`` weight matrix, in memory, for the
overall domain only, BLAS on one thread as copstats runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ITEMS = [
    "A1", "A2", "A3", "A5", "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9",
    "C1", "C2", "C3", "S1", "S2", "S3", "S4", "S5",
    "household_internet", "in_school", "disability", "internet_user",
]  # fmt: skip

COPSTATS_CHILD = r"""
import json, sys, time
start = time.perf_counter()
import numpy as np
from pathlib import Path
from copcore.stats import Design, Request, estimate
from copcore.stats.design import Replicates
from copcore.stats.disclosure import disclosure_apply, disclosure_rule_parse
from copcore.stats.io import table_read
path, items, reps = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3])
replicates = [f"repw_{r}" for r in range(1, reps + 1)]
wanted = items + ["weight", "age", "sex", "region"] + replicates
table = dict(table_read(Path(path), columns=wanted))
age = table["age"]
table["age_band"] = np.where(age <= 11, 1.0, np.where(age <= 14, 2.0, 3.0))
read = time.perf_counter()
design = Design(weight="weight", replicates=Replicates(tuple(replicates), "bootstrap"))
result = estimate(table, design, [Request("prop", v) for v in items],
                  by=[("age_band", "sex"), ("region",)], ci="korn-graubard")
result = disclosure_apply(result, disclosure_rule_parse("min-n:25"))
done = time.perf_counter()
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(json.dumps({"wall": done - start, "read": read - start, "estimate": done - read,
                  "rows": result.n_rows, "peak_mb": rss}))
"""

SVY_CHILD = r"""
import json, sys, time
start = time.perf_counter()
import polars as pl
import svy
path, items, reps = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3])
replicates = [f"repw_{r}" for r in range(1, reps + 1)]
frame = pl.read_parquet(path, columns=items + ["weight", "age", "sex", "region"] + replicates)
frame = frame.with_columns(
    pl.when(pl.col("age") <= 11).then(1).when(pl.col("age") <= 14).then(2).otherwise(3)
    .alias("age_band"),
    pl.col("sex").cast(pl.Utf8), pl.col("region").cast(pl.Utf8),
)
read = time.perf_counter()
design = svy.Design(wgt="weight", rep_wgts=svy.BootstrapWgts(prefix="repw_", n_reps=reps))
sample = svy.Sample(frame, design)
rows = 0
for by in (None, ("age_band", "sex"), "region"):
    results = sample.estimation.prop(items, by=by, drop_nulls=True, method="replication",
                                     variance_center="estimate", ci_method="korn-graubard")
    for result in (results if isinstance(results, list) else [results]):
        table = result.to_polars()
        rows += table.height
        suppressed = (table["n"] < 25).sum()
done = time.perf_counter()
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(json.dumps({"wall": done - start, "read": read - start, "estimate": done - read,
                  "rows": rows, "peak_mb": rss}))
"""


def child_run(code: str, path: Path, reps: int) -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, "-c", code, str(path), ",".join(ITEMS), str(reps)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def floor_run(path: Path, reps: int) -> float:
    import numpy as np
    import pyarrow.parquet as pq

    replicates = [f"repw_{r}" for r in range(1, reps + 1)]
    table = pq.read_table(path, columns=[*ITEMS, "weight", *replicates])
    weights = np.empty((table.num_rows, reps + 1), order="F")
    weights[:, 0] = table["weight"].to_numpy()
    for r, name in enumerate(replicates):
        weights[:, r + 1] = table[name].to_numpy()
    items = np.empty((table.num_rows, len(ITEMS) + 1), order="F")
    for j, name in enumerate(ITEMS):
        items[:, j] = np.nan_to_num(table[name].to_numpy(zero_copy_only=False))
    items[:, -1] = 1.0
    from copcore.stats.replication import _blas_single_thread

    with _blas_single_thread():  # as copstats runs it (see decision 0027)
        start = time.perf_counter()
        items.T @ weights
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=80)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--skip-svy", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as directory:
        plain = Path(directory) / "synth.parquet"
        path = Path(directory) / "replicated.parquet"
        subprocess.run(
            [sys.executable, "-m", "copcore.stats.cli", "synth", "--rows", str(args.rows),
             "--countries", "1", "--seed", str(args.seed), "--strata", "200",
             "--psus", "2000", "--out", str(plain)],
            check=True,
        )  # fmt: skip
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "copcore.stats.cli", "replicate", str(plain),
             "--weight", "weight", "--strata", "stratum", "--psu", "psu",
             "--method", "bootstrap", "--reps", str(args.reps), "--seed", str(args.seed),
             "--out", str(path)],
            check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        created = time.perf_counter() - start
        print(
            f"data: {args.rows:,} rows, 2,000 PSUs in 200 strata, {args.reps} bootstrap "
            f"replicate weights (copstats replicate: {created:.2f} s), 25 indicators x 17 domains"
        )
        mine = child_run(COPSTATS_CHILD, path, args.reps)
        print(
            f"copstats: wall {mine['wall']:.2f} s (read {mine['read']:.2f}, estimate "
            f"{mine['estimate']:.2f}), peak RSS {mine['peak_mb']:.0f} MB, {mine['rows']} rows"
        )
        floor = floor_run(path, args.reps)
        print(f"floor (one NumPy product, overall domain, in memory): {floor:.2f} s")
        print(f"ratio copstats estimate / floor: {mine['estimate'] / floor:.2f}")
        if not args.skip_svy:
            peer = child_run(SVY_CHILD, path, args.reps)
            print(
                f"svy: wall {peer['wall']:.2f} s (read {peer['read']:.2f}, estimate "
                f"{peer['estimate']:.2f}), peak RSS {peer['peak_mb']:.0f} MB, "
                f"{peer['rows']} rows"
            )
            print(f"speed-up vs svy, whole process: {peer['wall'] / mine['wall']:.2f}x")
            print(f"speed-up vs svy, estimation only: {peer['estimate'] / mine['estimate']:.2f}x")
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
