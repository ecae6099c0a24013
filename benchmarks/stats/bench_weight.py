"""Benchmark: raking with copstats vs svy, 1M rows, three margins (sex, region, wealth quintile).

Run: ``.venv/bin/python benchmarks/stats/bench_weight.py [--rows 1000000]``.

Each engine runs in its own subprocess doing the whole job (read the Parquet file, rake to the
same margins until the largest relative misfit is at most 1e-10, report the weight total),
timed by wall clock with peak RSS from ``resource.getrusage`` in the child. The margins are the
data's own weighted totals moved by a few per cent, so both engines iterate. The two weight
vectors are compared (largest relative difference) to show they computed the same thing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MARGINS = ("sex", "region", "wealth_quintile")

COPSTATS_CHILD = r"""
import json, resource, sys, time
start = time.perf_counter()
from pathlib import Path
import numpy as np
from copcore.stats.design import Design, design_weights
from copcore.stats.io import table_read
from copcore.stats.weighting import Margin, weights_adjust
path, controls, out = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
table = table_read(Path(path), columns=["weight", *controls])
weights = design_weights(table, Design(weight="weight"))
read = time.perf_counter()
margins = [Margin(name, totals) for name, totals in controls.items()]
result = weights_adjust(table, weights, margins, method="rake")
done = time.perf_counter()
np.save(out, result.weights)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
print(json.dumps({"wall": done - start, "read": read - start, "weight": done - read,
                  "iterations": result.iterations, "peak_mb": rss}))
"""

SVY_CHILD = r"""
import json, resource, sys, time
start = time.perf_counter()
import numpy as np
import polars as pl
import svy
path, controls, out = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
frame = pl.read_parquet(path, columns=["weight", *controls])
frame = frame.with_columns([pl.col(name).cast(pl.Utf8) for name in controls])
read = time.perf_counter()
sample = svy.Sample(frame, svy.Design(wgt="weight"))
raked = sample.weighting.rake(controls=controls, wgt_name="rk", tol=1e-10, max_iter=1000)
done = time.perf_counter()
np.save(out, raked.data["rk"].to_numpy())
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
print(json.dumps({"wall": done - start, "read": read - start, "weight": done - read,
                  "peak_mb": rss}))
"""


def child_run(code: str, path: Path, controls: dict[str, dict[str, float]], out: Path) -> dict:
    completed = subprocess.run(
        [sys.executable, "-c", code, str(path), json.dumps(controls), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def controls_of(path: Path) -> dict[str, dict[str, float]]:
    """The data's weighted totals per category, moved by up to ±5 % and rescaled so that
    every margin sums to the same population total."""
    import numpy as np
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["weight", *MARGINS])
    weight = table["weight"].to_numpy()
    grand = float(weight.sum()) * 1.03
    rng = np.random.default_rng(11)
    controls: dict[str, dict[str, float]] = {}
    for name in MARGINS:
        values = table[name].to_pylist()
        levels = sorted({str(v) for v in values})
        sums = {level: 0.0 for level in levels}
        for value, w in zip(values, weight, strict=True):
            sums[str(value)] += w
        moved = {k: v * rng.uniform(0.95, 1.05) for k, v in sums.items()}
        scale = grand / sum(moved.values())
        controls[name] = {k: v * scale for k, v in moved.items()}
    return controls


def main() -> int:
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "synth.parquet"
        subprocess.run(
            [sys.executable, "-m", "copcore.stats.cli", "synth", "--rows", str(args.rows),
             "--countries", "1", "--seed", str(args.seed), "--out", str(path)],
            check=True,
        )  # fmt: skip
        controls = controls_of(path)
        sizes = ", ".join(f"{name} ({len(levels)})" for name, levels in controls.items())
        print(f"data: {args.rows:,} rows; rake to margins {sizes}, misfit <= 1e-10")
        mine_out, peer_out = Path(directory) / "mine.npy", Path(directory) / "peer.npy"
        started = time.perf_counter()
        mine = child_run(COPSTATS_CHILD, path, controls, mine_out)
        peer = child_run(SVY_CHILD, path, controls, peer_out)
        print(
            f"copstats: wall {mine['wall']:.2f} s (read {mine['read']:.2f}, rake "
            f"{mine['weight']:.2f}, {mine['iterations']} sweeps), peak RSS {mine['peak_mb']:.0f} MB"
        )
        print(
            f"svy: wall {peer['wall']:.2f} s (read {peer['read']:.2f}, rake "
            f"{peer['weight']:.2f}), peak RSS {peer['peak_mb']:.0f} MB"
        )
        a, b = np.load(mine_out), np.load(peer_out)
        print(f"largest relative difference of the weights: {float(np.max(np.abs(a - b) / b)):.1e}")
        print(f"speed-up vs svy, whole process: {peer['wall'] / mine['wall']:.2f}x")
        print(f"speed-up vs svy, raking only: {peer['weight'] / mine['weight']:.2f}x")
        print(f"(both runs took {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
