"""The scale benchmark: grow a database to N× the demo through the project's services, then
measure every main read path at 1× and N× (queries, median server time, bytes, peak memory,
time to first byte of streams) and print the table with the ratio to 1×.

    .venv/bin/python benchmarks/scale/run.py --scale 10 --database sqlite
    .venv/bin/python benchmarks/scale/run.py --scale 100 --database postgres

Grown databases are kept and reused (``var/bench-scale/<database>-<N>/``, PostgreSQL
databases ``cophub_scale_<N>`` on ``--postgres``): growth is recorded copy by copy in
``grown.json`` there and resumes where it stopped; ``--fresh`` starts again. See
``grow.py`` for what is grown and how, ``measure.py`` for what is measured.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
STATE = PROJECT / "var" / "bench-scale"
LIMIT_BYTES = 1_000_000
LIMIT_MS = 300.0
LIMIT_STREAM_MB = 100.0
LIMIT_FIRST_BYTE_MS = 1000.0


def _environment(database: str, scale: int, postgres: str) -> tuple[dict[str, str], Path]:
    var = STATE / f"{database}-{scale}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cophub.config.settings.demo",
        "COPHUB_VAR_DIR": str(var),
        "ALLOWED_HOSTS": "testserver",  # Django's test client
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(PROJECT / "src"), os.environ.get("PYTHONPATH")])
        ),
    }
    if database == "postgres":
        env["DATABASE_URL"] = f"{postgres.rstrip('/')}/cophub_scale_{scale}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{var / 'cophub.sqlite3'}"
    return env, var


def _postgres_reset(postgres: str, scale: int, template: int | None) -> None:
    import psycopg

    copy = f' TEMPLATE "cophub_scale_{template}"' if template else ""
    with psycopg.connect(f"{postgres.rstrip('/')}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "cophub_scale_{scale}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "cophub_scale_{scale}"{copy}')


def _smaller(database: str, scale: int) -> int | None:
    """The biggest completely grown size below ``scale``: growth starts from a copy of it."""
    sizes = []
    for marker in STATE.glob(f"{database}-*/grown.json"):
        size = int(marker.parent.name.rsplit("-", 1)[1])
        state = json.loads(marker.read_text())
        if size < scale and state.get("counts") and state["done"] >= size:
            sizes.append(size)
    return max(sizes, default=None)


def grown(
    database: str, scale: int, postgres: str, fresh: bool, as_is: bool = False
) -> dict[str, int]:
    """The database at ``scale``×, grown now if it is not (or not completely) there."""
    env, var = _environment(database, scale, postgres)
    marker = var / "grown.json"
    state = json.loads(marker.read_text()) if marker.exists() and not fresh else {"done": 0}
    if state.get("counts") and state["done"] >= scale:
        return dict(state["counts"])
    if as_is and state["done"] > 0:  # measure a growth stopped part way (say so)
        return {"copies grown (of the size asked)": state["done"]}
    if state["done"] == 0:
        shutil.rmtree(var, ignore_errors=True)
        template = _smaller(database, scale)
        if template:
            shutil.copytree(STATE / f"{database}-{template}", var)  # media; SQLite's file
            (var / "grown.json").unlink()
            (var / "measured.json").unlink(missing_ok=True)
            state["done"] = template
        if database == "postgres":
            _postgres_reset(postgres, scale, template)
    var.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(HERE / "grow.py"), str(scale), str(state["done"])],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    if child.stdout is None:
        raise SystemExit("no output from grow.py")
    for line in child.stdout:
        if not line.startswith("{"):
            print(line, end="", file=sys.stderr)  # what the demo commands say
            continue
        message = json.loads(line)
        if "copy" in message:
            state["done"] = message["copy"] + 1
        if "counts" in message:
            state.update(done=scale, counts=message["counts"])
        state["seconds"] = state.get("seconds", 0.0) + time.perf_counter() - started
        started = time.perf_counter()
        marker.write_text(json.dumps(state))
    if child.wait() != 0 or not state.get("counts"):
        raise SystemExit(f"growing {database} {scale}× stopped (resume by running again)")
    return dict(state["counts"])


def measured(database: str, scale: int, postgres: str, repeat: int) -> list[dict[str, object]]:
    env, var = _environment(database, scale, postgres)
    out = var / "measured.json"
    subprocess.run(
        [sys.executable, str(HERE / "measure.py"), str(out), str(repeat)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,  # what the paths print (the console e-mail backend)
    )
    return list(json.loads(out.read_text()))


def _flags(row: dict[str, object], base: dict[str, object] | None, middle: dict | None) -> str:
    flags = []
    if row.get("error"):
        return f"ERROR {row['error']}"
    if row["stream"]:
        if float(row["peak_mb"]) > LIMIT_STREAM_MB:  # type: ignore[arg-type]
            flags.append("MEM")
        if float(row["first_byte_ms"]) > LIMIT_FIRST_BYTE_MS:  # type: ignore[arg-type]
            flags.append("TTFB")
    else:
        if int(row["bytes"]) > LIMIT_BYTES:  # type: ignore[call-overload]
            flags.append(">1MB")
        if float(row["ms"]) > LIMIT_MS:  # type: ignore[arg-type]
            flags.append(">300ms")
    for smaller in (middle, base):
        if smaller and not smaller.get("error") and row["queries"] > smaller["queries"]:  # type: ignore[operator]
            flags.append(f"queries+{row['queries'] - smaller['queries']}")  # type: ignore[operator]
            break
    return " ".join(flags)


def table(sizes: list[int], results: dict[int, list[dict[str, object]]]) -> str:
    base, top = sizes[0], sizes[-1]
    middle = sizes[-2] if len(sizes) > 2 else None
    lines = [
        f"| path | {base}× q | {base}× ms | {base}× KB | {top}× q | {top}× ms | {top}× KB "
        f"| {top}× peak MB | {top}× TTFB ms | ms ratio | bytes ratio | flags |",
        "|---" * 12 + "|",
    ]
    by_name = {size: {row["name"]: row for row in results[size]} for size in sizes}
    for row in results[top]:
        one = by_name[base].get(row["name"])
        mid = by_name[middle].get(row["name"]) if middle else None
        if row.get("error") or not one or one.get("error"):
            lines.append(f"| {row['name']} | | | | | | | | | | | {row.get('error') or one}|")
            continue
        ms_ratio = float(row["ms"]) / max(float(one["ms"]), 0.01)  # type: ignore[arg-type]
        bytes_ratio = int(row["bytes"]) / max(int(one["bytes"]), 1)  # type: ignore[call-overload]
        ttfb = f"{row['first_byte_ms']:.0f}" if row["stream"] else ""
        lines.append(
            f"| {row['name']} | {one['queries']} | {one['ms']:.0f} "
            f"| {int(one['bytes']) / 1000:.0f} "
            f"| {row['queries']} | {row['ms']:.0f} | {int(row['bytes']) / 1000:.0f} "
            f"| {row['peak_mb']:.1f} | {ttfb} | {ms_ratio:.1f} | {bytes_ratio:.1f} "
            f"| {_flags(row, one, mid)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10, help="N: the size measured (× demo)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432", help="server URL"
    )
    parser.add_argument("--also", type=int, nargs="*", default=[], help="sizes between 1 and N")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per path (median)")
    parser.add_argument("--fresh", action="store_true", help="grow again from nothing")
    parser.add_argument("--grow-only", action="store_true")
    parser.add_argument(
        "--as-is", action="store_true", help="measure N× as far as it has grown, not growing it"
    )
    args = parser.parse_args()
    sizes = sorted({1, *args.also, args.scale})
    print(f"load average before: {os.getloadavg()}", flush=True)
    results = {}
    for size in sizes:
        started = time.perf_counter()
        counts = grown(args.database, size, args.postgres, args.fresh, args.as_is)
        print(f"{args.database} {size}×: {counts} (ready in {time.perf_counter() - started:.0f} s)")
        if not args.grow_only:
            results[size] = measured(args.database, size, args.postgres, args.repeat)
    print(f"load average after: {os.getloadavg()}")
    if args.grow_only:
        return
    print(table(sizes, results))
    out = STATE / f"result-{args.database}-{args.scale}.json"
    out.write_text(json.dumps({"sizes": sizes, "results": {str(k): v for k, v in results.items()}}))


if __name__ == "__main__":
    main()
