"""Faults under load on deploy/cluster: does every acknowledged write survive, and how fast does
the platform come back?

    python benchmarks/ops/run.py [--seconds 120]       (or: make bench-ops)

Starts ``deploy/cluster`` when it is not running (CLUSTER_* variables as for the script), makes
the accounts it needs (``prepare.py``), then for about two minutes drives bounded mixed traffic
through nginx on 127.0.0.1 — the resolver, help pages, statistics pages, USSD sessions, survey
uploads through the API, strategy answers, sign-ins — while it kills one app server, kills one
worker in the middle of a task, restarts PostgreSQL and restarts Redis, one after the other.

It reports requests, errors by kind, p50/p99, each fault's time to recover, and checks:

- every write answered with success is there afterwards (datasets, uploads, strategy answers,
  sign-in sessions);
- every background task reaches a final state (SUCCESSFUL or FAILED);
- ``/readyz`` is false while the database is down and true after;
- errors happen only inside the fault windows (from the fault to its recovery), none after.

The peer is the run itself: p99 and throughput inside the fault windows against outside them.
Exit status 1 when a check fails. Every loop is bounded in time and count; nothing but
127.0.0.1 is contacted.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import faults
import load
import report

ROOT = Path(__file__).resolve().parents[2]


def cluster_env() -> tuple[dict[str, str], Path]:
    directory = Path(os.environ.get("CLUSTER_DIR", ROOT / "var" / "cluster"))
    env = dict(os.environ, CLUSTER_DIR=str(directory))
    env.setdefault("CLUSTER_PYTHON", sys.executable)
    src = str(ROOT / "src")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))
    return env, directory


def app_env(env: dict[str, str], directory: Path) -> dict[str, str]:
    merged = dict(env)
    for line in (directory / "env").read_text().splitlines():
        name, _, value = line.partition("=")
        merged[name] = value
    return merged


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0, help="length of the load (>= 90)")
    args = parser.parse_args()
    seconds = max(90.0, min(args.seconds, 600.0))
    env, directory = cluster_env()
    print("deploy/cluster start …", flush=True)
    subprocess.run([str(faults.SCRIPT), "start"], env=env, check=True, stdout=subprocess.DEVNULL)
    settings = app_env(env, directory)
    work = directory / "ops"
    prepared = json.loads(
        subprocess.run(
            [env["CLUSTER_PYTHON"], str(Path(__file__).with_name("prepare.py")), str(work)],
            env=settings,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    http_port = int(env.get("CLUSTER_HTTP_PORT", "8080"))
    app_ports = [int(p) for p in env.get("CLUSTER_APP_PORTS", "8101 8102").split()]
    load_before = uptime()
    wall_start = time.time()
    origin = time.monotonic()
    ledger = load.Ledger()
    plan = load.Plan(
        port=http_port,
        prepared=prepared,
        survey_csv=(work / "survey-small.csv").read_bytes(),
        mapping=json.loads((work / "mapping.json").read_text()),
        deadline=origin + seconds + 120,  # moved to its real end once the last fault is over
        origin=origin,
        ledger=ledger,
    )
    cluster = faults.Cluster(directory, env, http_port, app_ports, settings["DATABASE_URL"], origin)
    probe = faults.ReadinessProbe(cluster, origin + seconds + 300)
    probe.start()
    threads = load.traffic(plan)
    print(
        f"load running for about {seconds:.0f} s (run {prepared['run']}); faults at "
        f"{', '.join(f'{f * seconds:.0f}' for f in (0.12, 0.3, 0.5, 0.72))} s",
        flush=True,
    )

    def at(fraction: float) -> None:
        time.sleep(max(0.0, origin + fraction * seconds - time.monotonic()))

    done: list[faults.Fault] = []
    at(0.12)
    done.append(faults.kill_app(cluster))
    at(0.3)
    fault, killed_dataset = faults.kill_worker(
        cluster, plan, (work / "survey-large.csv").read_bytes()
    )
    done.append(fault)
    at(0.5)
    done.append(faults.restart_postgres(cluster, hold=5.0))
    at(0.72)
    done.append(faults.restart_redis(cluster, hold=3.0, callback_token=prepared["callback_token"]))
    # At least 20 s of load after the last recovery: the "none after recovery" part.
    plan.deadline = max(origin + seconds, time.monotonic() + 20)
    for fault in done:
        print(
            f"  {fault.name}: recovered after {report.seconds(fault.recovery_seconds)}", flush=True
        )
    for thread in threads:
        thread.join(timeout=60)
    load_end = cluster.now()
    probe.deadline = time.monotonic()
    probe.join(timeout=10)

    print("waiting for the background tasks (at most 90 s) …", flush=True)
    tasks = report.tasks_settle(cluster, wall_start, 90)
    checks = report.verify(cluster, plan, ledger, killed_dataset)
    load_after = uptime()
    findings = report.print_report(
        ledger=ledger,
        faults=done,
        probe=probe.samples,
        tasks=tasks,
        checks=checks,
        load_end=load_end,
        machine=(load_before, load_after),
        seconds=seconds,
    )
    out = directory / f"ops-{prepared['run']}.json"
    out.write_text(json.dumps(report.summary(ledger, done, tasks, checks), indent=2))
    print(f"\nfigures saved to {out}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
