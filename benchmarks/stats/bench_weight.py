"""Benchmark: raking with copstats vs svy, 1M rows, three margins (sex, region, wealth quintile).

Run: ``.venv/bin/python benchmarks/stats/bench_weight.py [--rows 1000000]``.

Each engine runs in its own subprocess doing the whole job (read the Parquet file, rake to the
same margins until the largest relative misfit is at most 1e-10, save the weights), timed by
wall clock from the child's first line, with the child's own peak RSS (``VmHWM`` of
``/proc/self/status``: ``resource.getrusage``'s ``ru_maxrss`` in a child started by
``subprocess`` already holds this process's peak, which a Linux ``exec`` passes on). The margins are the data's own weighted totals moved by a few per cent,
so both engines iterate. The two weight vectors are compared (largest relative difference) to
show they computed the same thing.

Then the ``copstats weight`` command itself, whole process, as a user runs it: read every
column, rake, write the data with the new column, from Parquet to Parquet and from CSV to CSV.
It does more than svy's child (which saves only the weight vector); its ratio is printed
against svy's child all the same.

The children compile no Python source while timed: they share a bytecode cache (under the
temporary directory, so ``PYTHONDONTWRITEBYTECODE`` in the environment cannot make every child
recompile its imports) filled by one untimed run of each child first.
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

MARGINS = ("sex", "region", "wealth_quintile")

COPSTATS_CHILD = r"""
import json, sys, time
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
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(json.dumps({"wall": done - start, "read": read - start, "weight": done - read,
                  "iterations": result.iterations, "peak_mb": rss}))
"""

SVY_CHILD = r"""
import json, sys, time
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
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(json.dumps({"wall": done - start, "read": read - start, "weight": done - read,
                  "peak_mb": rss}))
"""


COMMAND_CHILD = r"""
import json, sys, time
start = time.perf_counter()
from copcore.stats.cli import main
status = main(sys.argv[1:])
done = time.perf_counter()
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(json.dumps({"wall": done - start, "status": status, "peak_mb": rss}))
"""


def child_run(code: str, *args: str, cache: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    completed = subprocess.run(
        [sys.executable, "-c", code, *args],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    if result.get("status", 0) != 0:
        raise SystemExit(f"copstats failed: {completed.stderr.strip()}")
    return result


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


def margins_write(controls: dict[str, dict[str, float]], path: Path) -> None:
    """The margins as ``copstats weight`` reads them (``repr`` keeps every digit)."""
    lines = ["variable,category,total"]
    lines += [f"{v},{c},{float(t)!r}" for v, totals in controls.items() for c, t in totals.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> int:
    import numpy as np
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    print(f"load average before: {load()}")
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        path, cache = folder / "synth.parquet", folder / "pycache"
        subprocess.run(
            [sys.executable, "-m", "copcore.stats.cli", "synth", "--rows", str(args.rows),
             "--countries", "1", "--seed", str(args.seed), "--out", str(path)],
            check=True,
        )  # fmt: skip
        controls = controls_of(path)
        margins = folder / "margins.csv"
        margins_write(controls, margins)
        csv_path = folder / "synth.csv"
        pacsv.write_csv(pq.read_table(path), csv_path)
        sizes = ", ".join(f"{name} ({len(levels)})" for name, levels in controls.items())
        print(f"data: {args.rows:,} rows; rake to margins {sizes}, misfit <= 1e-10")
        mine_out, peer_out = folder / "mine.npy", folder / "peer.npy"
        libraries = [(COPSTATS_CHILD, mine_out), (SVY_CHILD, peer_out)]
        command = ["weight", "--weight", "weight", "--method", "rake", "--margins", str(margins)]
        commands = {
            "Parquet": [*command, str(path), "--out", str(folder / "out.parquet")],
            "CSV": [*command, str(csv_path), "--out", str(folder / "out.csv")],
        }
        for code, out in libraries:  # untimed: fills the bytecode cache
            child_run(code, str(path), json.dumps(controls), str(out), cache=cache)
        child_run(COMMAND_CHILD, *commands["Parquet"], cache=cache)
        started = time.perf_counter()
        mine = child_run(
            COPSTATS_CHILD, str(path), json.dumps(controls), str(mine_out), cache=cache
        )
        peer = child_run(SVY_CHILD, str(path), json.dumps(controls), str(peer_out), cache=cache)
        runs = {
            kind: child_run(COMMAND_CHILD, *argv, cache=cache) for kind, argv in commands.items()
        }
        print(
            f"copstats: wall {mine['wall']:.2f} s (read {mine['read']:.2f}, rake "
            f"{mine['weight']:.2f}, {mine['iterations']} sweeps), peak RSS {mine['peak_mb']:.0f} MB"
        )
        print(
            f"svy: wall {peer['wall']:.2f} s (read {peer['read']:.2f}, rake "
            f"{peer['weight']:.2f}), peak RSS {peer['peak_mb']:.0f} MB"
        )
        for kind, run in runs.items():
            print(
                f"copstats weight command, {kind} to {kind} (every column read and written): "
                f"wall {run['wall']:.2f} s, peak RSS {run['peak_mb']:.0f} MB"
            )
        a, b = np.load(mine_out), np.load(peer_out)
        print(f"largest relative difference of the weights: {float(np.max(np.abs(a - b) / b)):.1e}")
        for kind, out in (("Parquet", "out.parquet"), ("CSV", "out.csv")):
            table = (
                pq.read_table(folder / out) if kind == "Parquet" else pacsv.read_csv(folder / out)
            )
            c = table["calwt"].to_numpy()
            print(f"  command ({kind}) vs svy: {float(np.max(np.abs(c - b) / b)):.1e}")
        print(f"speed-up vs svy, whole process: {peer['wall'] / mine['wall']:.2f}x")
        print(f"speed-up vs svy, raking only: {peer['weight'] / mine['weight']:.2f}x")
        for kind, run in runs.items():
            print(
                f"speed-up vs svy's whole process, copstats weight command ({kind}): "
                f"{peer['wall'] / run['wall']:.2f}x"
            )
        print(f"(timed runs took {time.perf_counter() - started:.1f} s)")
    print(f"load average after: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
