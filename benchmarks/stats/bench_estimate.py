"""Benchmark: copstats vs svy on 25 binary indicators × 17 domains, and a pure NumPy floor.

Run: ``.venv/bin/python benchmarks/stats/bench_estimate.py [--rows 1000000]``.

Each engine runs in its own subprocess doing the whole job (read the Parquet file, estimate,
SE, CI, deff, n, and suppression for copstats), timed by wall clock with the child's own peak RSS
(``VmHWM`` of ``/proc/self/status``: ``resource.getrusage``'s ``ru_maxrss`` in a child started by
``subprocess`` already holds this process's peak, which a Linux ``exec`` passes on). The floor — the weighted sums of all 25 indicators by PSU
and domain with ``np.bincount`` on combined codes, the least arithmetic any exact method needs —
is measured in this process on data already in memory.
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
from copcore.stats.disclosure import disclosure_apply, disclosure_rule_parse
from copcore.stats.io import table_read
path, items = sys.argv[1], sys.argv[2].split(",")
design = ["weight", "stratum", "psu", "age", "sex", "region"]
table = dict(table_read(Path(path), columns=items + design))
age = table["age"]
table["age_band"] = np.where(age <= 11, 1.0, np.where(age <= 14, 2.0, 3.0))
read = time.perf_counter()
result = estimate(table, Design("weight", "stratum", "psu"), [Request("prop", v) for v in items],
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
path, items = sys.argv[1], sys.argv[2].split(",")
frame = pl.read_parquet(path, columns=items + ["weight", "stratum", "psu", "age", "sex", "region"])
frame = frame.with_columns(
    pl.when(pl.col("age") <= 11).then(1).when(pl.col("age") <= 14).then(2).otherwise(3)
    .alias("age_band"),
    pl.col("sex").cast(pl.Utf8), pl.col("region").cast(pl.Utf8),
)
read = time.perf_counter()
sample = svy.Sample(frame, svy.Design(stratum="stratum", psu="psu", wgt="weight"))
rows = 0
for by in (None, ("age_band", "sex"), "region"):
    results = sample.estimation.prop(items, by=by, drop_nulls=True, deff="wr",
                                     ci_method="korn-graubard")
    for result in (results if isinstance(results, list) else [results]):
        table = result.to_polars()
        rows += table.height
        suppressed = (table["n"] < 25).sum()
done = time.perf_counter()
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(json.dumps({"wall": done - start, "read": read - start, "estimate": done - read,
                  "rows": rows, "peak_mb": rss}))
"""


def child_run(code: str, path: Path) -> dict[str, float]:
    completed = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", code, str(path), ",".join(ITEMS)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def floor_run(path: Path) -> float:
    import numpy as np
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=[*ITEMS, "weight", "psu", "age", "sex", "region"])
    weight = table["weight"].to_numpy()
    psu = table["psu"].to_numpy().astype(np.int64) - 1
    age = table["age"].to_numpy()
    sex = table["sex"].dictionary_encode().combine_chunks().indices.to_numpy().astype(np.int64)
    region = table["region"].dictionary_encode().combine_chunks().indices.to_numpy()
    band = np.where(age <= 11, 0, np.where(age <= 14, 1, 2))
    items = [np.nan_to_num(table[name].to_numpy(zero_copy_only=False)) for name in ITEMS]
    n_psu = int(psu.max()) + 1
    domains = [(np.zeros(len(psu), dtype=np.int64), 1), (band * 2 + sex, 6), (region, 10)]
    start = time.perf_counter()
    for codes, size in domains:
        combined = psu * size + codes
        for values in items:
            np.bincount(combined, weights=weight * values, minlength=n_psu * size)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--skip-svy", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "synth.parquet"
        subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "copcore.stats.cli", "synth", "--rows", str(args.rows),
             "--countries", "1", "--seed", str(args.seed), "--strata", "200",
             "--psus", "2000", "--out", str(path)],
            check=True,
        )  # fmt: skip
        print(f"data: {args.rows:,} rows, 2,000 PSUs in 200 strata, 25 indicators x 17 domains")
        mine = child_run(COPSTATS_CHILD, path)
        print(
            f"copstats: wall {mine['wall']:.2f} s (read {mine['read']:.2f}, estimate "
            f"{mine['estimate']:.2f}), peak RSS {mine['peak_mb']:.0f} MB, {mine['rows']} rows"
        )
        floor = floor_run(path)
        print(f"floor (NumPy bincount, in memory): {floor:.2f} s")
        print(f"ratio copstats estimate / floor: {mine['estimate'] / floor:.2f}")
        print(f"ratio copstats whole process / floor: {mine['wall'] / floor:.2f}")
        if not args.skip_svy:
            peer = child_run(SVY_CHILD, path)
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
