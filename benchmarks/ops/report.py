"""What the fault run found: the checks after the load, and the printed report."""

import http.client
import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from faults import Cluster, Fault
from load import Ledger, Plan, Record

FINAL = ("SUCCESSFUL", "FAILED")
# A dataset's check when it is over: passed, failed on the data, or "check failed — retry"
# (its worker died; cophub tasks_recover says so).
CHECK_FINAL = ("passed", "failed", "error")


@dataclass
class Checks:
    """Each check's failures (empty lists pass), with what was checked."""

    counted: dict[str, int] = field(default_factory=dict)
    failures: dict[str, list[str]] = field(default_factory=dict)

    def fail(self, check: str, message: str) -> None:
        self.failures.setdefault(check, []).append(message)


def seconds(value: float | None) -> str:
    return "never (not within 120 s)" if value is None else f"{value:.1f} s"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def tasks_settle(cluster: Cluster, since: float, timeout: float) -> dict[str, Any]:
    """Wait until every task enqueued since ``since`` (epoch seconds) is final, or nothing but
    RUNNING tasks is left unchanged for 30 s, or ``timeout``; then what is left."""
    deadline = time.monotonic() + timeout
    last: tuple[Any, ...] = ()
    unchanged_since = time.monotonic()
    while True:
        rows = cluster.sql(
            "SELECT id::text, status, task_path, worker_ids, exception_class_path FROM "
            "django_tasks_database_dbtaskresult WHERE enqueued_at >= to_timestamp(%s)",
            since,
        )
        pending = tuple(sorted((r[0], r[1]) for r in rows if r[1] not in FINAL))
        if pending != last:
            last, unchanged_since = pending, time.monotonic()
        stuck = all(status == "RUNNING" for _, status in pending)
        if (
            not pending
            or time.monotonic() > deadline
            or (stuck and time.monotonic() - unchanged_since > 30)
        ):
            break
        time.sleep(1)
    return {
        "by_status": dict(Counter(r[1] for r in rows)),
        # Closed by cophub tasks_recover: their worker died (or they ran past the limit).
        "abandoned": sum(r[4].endswith(".TaskAbandoned") for r in rows),
        "not_final": [
            {"id": r[0], "status": r[1], "task": r[2].rsplit(".", 1)[-1], "workers": r[3]}
            for r in rows
            if r[1] not in FINAL
        ],
    }


def _get(cluster: Cluster, path: str, headers: dict[str, str]) -> tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", cluster.http_port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        answer = connection.getresponse()
        body = answer.read()
        kind = answer.headers.get("Content-Type", "")
        return answer.status, json.loads(body) if "json" in kind else body
    finally:
        connection.close()


def _get_all(cluster: Cluster, path: str, headers: dict[str, str]) -> tuple[int, list[Any]]:
    """Every row of a paged API list, following ``next`` (decision 0036)."""
    rows: list[Any] = []
    link: str | None = f"{path}{'&' if '?' in path else '?'}page_size=200"
    while link:
        parts = urlsplit(link)
        status, page = _get(cluster, f"{parts.path}?{parts.query}", headers)
        if status != 200:
            return status, rows
        rows += page["results"]
        link = page["next"]
    return 200, rows


def verify(cluster: Cluster, plan: Plan, ledger: Ledger, killed_dataset: int | None) -> Checks:
    checks = Checks()
    focal = plan.prepared["focal_points"]
    ke = {"Authorization": f"Bearer {focal['KE']['token']}"}
    status, datasets = _get_all(cluster, "/api/v1/statistics/datasets", ke)
    if status != 200:
        raise SystemExit(f"GET /api/v1/statistics/datasets answered {status}")
    found = {d["id"]: d for d in datasets}
    checks.counted["datasets created (201)"] = len(ledger.datasets)
    for dataset in ledger.datasets:
        if dataset not in found:
            checks.fail("acknowledged writes are there", f"dataset {dataset} (201) is missing")
    checks.counted["survey uploads accepted (202)"] = len(ledger.uploads)
    for dataset in ledger.uploads:
        check = found.get(dataset, {}).get("check")
        if check not in CHECK_FINAL:
            checks.fail(
                "background work reaches a final state", f"dataset {dataset}: check {check!r}"
            )
    if killed_dataset is not None:
        np = {"Authorization": f"Bearer {focal['NP']['token']}"}
        _, detail = _get(cluster, f"/api/v1/statistics/datasets/{killed_dataset}", np)
        checks.counted["check of the killed worker's dataset"] = 1
        check = detail.get("check")
        if check not in CHECK_FINAL:
            checks.fail(
                "background work reaches a final state",
                f"dataset {killed_dataset} (its worker killed mid-check): check {check!r}",
            )
    written = 0
    for country in ("KE", "BR"):
        headers = {"Authorization": f"Bearer {focal[country]['token']}"}
        assessment = focal[country]["assessment"]
        _, answers = _get_all(
            cluster, f"/api/v1/strategies/assessments/{assessment}/answers", headers
        )
        values = {a["item"]: a["value"] for a in answers}
        for (of, item), sent in ledger.answers.items():
            if of != assessment:
                continue
            written += sum(ack for _, ack in sent)
            acknowledged = [i for i, (_, ack) in enumerate(sent) if ack]
            if not acknowledged:
                continue
            last = acknowledged[-1]
            allowed = {sent[last][0]} | {value for value, ack in sent[last + 1 :] if not ack}
            if _number(values.get(item)) not in allowed:
                checks.fail(
                    "acknowledged writes are there",
                    f"assessment {assessment} {item}: {values.get(item)!r}, last acknowledged "
                    f"{sent[last][0]}",
                )
    checks.counted["strategy answers saved (200)"] = written
    checks.counted["sign-ins (302, new session)"] = len(ledger.sessions)
    for session in ledger.sessions:
        status, _ = _get(cluster, "/en/accounts/me/", {"Cookie": f"sessionid={session}"})
        if status != 200:
            checks.fail("acknowledged writes are there", f"a signed-in session answers {status}")
    return checks


def _number(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _inside(record: Record, windows: list[tuple[float, float]]) -> bool:
    end = record.started + record.seconds
    return any(record.started <= stop and end >= start for start, stop in windows)


def _windows(faults: list[Fault], load_end: float) -> list[tuple[float, float]]:
    return [(f.began, f.recovered if f.recovered is not None else load_end) for f in faults]


def print_report(
    *,
    ledger: Ledger,
    faults: list[Fault],
    probe: list[tuple[float, int | None]],
    tasks: dict[str, Any],
    checks: Checks,
    load_end: float,
    machine: tuple[str, str],
    seconds: float,
) -> list[str]:
    """Print everything; return the failed checks."""
    records = ledger.records
    windows = _windows(faults, load_end)
    print(f"\nMachine before: {machine[0]}\nMachine after:  {machine[1]}")
    print(
        f"\n{len(records):,} requests in {load_end:.0f} s ({len(records) / load_end:.0f}/s), "
        f"faults at {', '.join(f'{f.began:.0f}' for f in faults)} s\n"
    )
    print("| traffic | requests | errors | p50 | p99 | errors after recovery |")
    print("|---|---|---|---|---|---|")
    by_kind: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_kind[record.kind].append(record)
    for kind, rows in sorted(by_kind.items()):
        errors = [r for r in rows if r.outcome != "ok"]
        outside = [r for r in errors if not _inside(r, windows)]
        latencies = [r.seconds for r in rows]
        print(
            f"| {kind} | {len(rows):,} | {len(errors)} | {percentile(latencies, 0.5):.0f} ms "
            f"| {percentile(latencies, 0.99):.0f} ms | {len(outside)} |"
        )

    print("\n| fault | at | recovered after | errors in its window (by kind) |")
    print("|---|---|---|---|")
    # An error overlapping two windows (a slow sign-in across the start of the next fault)
    # counts for the later fault, the one that began before the error was answered.
    owner: dict[int, int] = {}
    for number, record in enumerate(records):
        if record.outcome != "ok":
            overlapping = [i for i, window in enumerate(windows) if _inside(record, [window])]
            if overlapping:
                owner[number] = max(overlapping)
    for index, fault in enumerate(faults):
        inside = [records[n] for n, i in owner.items() if i == index]
        kinds = Counter(f"{r.kind}: {r.outcome}" for r in inside)
        listed = ", ".join(f"{n}× {k}" for k, n in kinds.most_common()) or "none"
        print(f"| {fault.name} | {fault.began:.0f} s | {seconds_of(fault)} | {listed} |")
        for note in fault.notes:
            print(f"|   ↳ {note} | | | |")

    findings: list[str] = []
    outside = [r for r in records if r.outcome != "ok" and not _inside(r, windows)]
    if outside:
        findings.append(f"{len(outside)} errors outside the fault windows")
        for record in outside[:10]:
            print(f"  outside a window: +{record.started:.1f} s {record.kind} {record.outcome}")

    database = next((f for f in faults if f.name.startswith("PostgreSQL")), None)
    if database is not None:
        down = [
            s
            for t, s in probe
            if _noted(database, "down at +") < t < _noted(database, "starting at +")
        ]
        after = [s for t, s in probe if database.recovered is not None and t > database.recovered]
        print(
            f"\n/readyz while PostgreSQL was down: {dict(Counter(down))}; after it was back: "
            f"{dict(Counter(after))}"
        )
        if not down or any(s == 200 for s in down):
            findings.append("/readyz was not false while the database was down")
        if not after or any(s != 200 for s in after):
            findings.append("/readyz was not true after the database was back")

    print(
        f"\nBackground tasks of this run: {tasks['by_status']}; of them closed as abandoned "
        f"(their worker died) by tasks_recover: {tasks['abandoned']}"
    )
    for task in tasks["not_final"]:
        print(f"  not final: {task['task']} {task['id']} {task['status']} on {task['workers']}")
        findings.append(f"task {task['id']} ({task['task']}) stayed {task['status']}")
    print("\nChecked: " + "; ".join(f"{n} {what}" for what, n in checks.counted.items()))
    for check, failures in checks.failures.items():
        for failure in failures:
            findings.append(f"{check}: {failure}")

    steady = [r for r in records if not _inside(r, windows)]
    during = [r for r in records if _inside(r, windows)]
    span = sum(stop - start for start, stop in windows)
    if steady and during and span > 0:
        p99_out, p99_in = (
            percentile([r.seconds for r in steady], 0.99),
            percentile([r.seconds for r in during], 0.99),
        )
        rate_out, rate_in = len(steady) / max(load_end - span, 1), len(during) / span
        print(
            f"\nPeer (the same load outside the fault windows): p99 {p99_in:.0f} ms inside vs "
            f"{p99_out:.0f} ms outside ({p99_in / max(p99_out, 1e-9):.1f}×); throughput "
            f"{rate_in:.0f}/s vs {rate_out:.0f}/s ({rate_in / rate_out:.2f}×)"
        )
    print("\nFindings:" if findings else "\nAll checks passed.")
    for finding in findings:
        print(f"  - {finding}")
    return findings


def seconds_of(fault: Fault) -> str:
    return seconds(fault.recovery_seconds)


def _noted(fault: Fault, prefix: str) -> float:
    """The moment a note of the fault names ("down at +2.1 s"), in seconds since the start."""
    for note in fault.notes:
        if note.startswith(prefix):
            return fault.began + float(note.removeprefix(prefix).removesuffix(" s"))
    return fault.began


def summary(
    ledger: Ledger, faults: list[Fault], tasks: dict[str, Any], checks: Checks
) -> dict[str, Any]:
    return {
        "requests": len(ledger.records),
        "errors": dict(
            Counter(f"{r.kind}: {r.outcome}" for r in ledger.records if r.outcome != "ok")
        ),
        "faults": [
            {
                "name": f.name,
                "at": f.began,
                "recovery_seconds": f.recovery_seconds,
                "notes": f.notes,
            }
            for f in faults
        ],
        "tasks": tasks,
        "checked": checks.counted,
        "failures": checks.failures,
    }
