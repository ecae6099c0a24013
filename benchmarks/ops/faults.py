"""The faults of the run, each with the moment it began and the moment the cluster recovered.

- ``app``: SIGKILL to one app server and everything it forked (a crash); recovered when its
  supervisor has started it again and it answers ``/healthz``.
- ``worker``: a large survey is uploaded, and the worker that claims its check is killed with
  SIGKILL while the task is RUNNING; recovered when the worker has been started again.
- ``postgres``: PostgreSQL stopped (fast shutdown), held down a few seconds, started; recovered
  when ``/readyz`` through nginx says ready again.
- ``redis``: Redis shut down, held down, started; recovered when a USSD step (sessions live in
  Redis) succeeds again.

``/readyz`` is probed through nginx every 0.2 s for the whole run, so the report can say
whether it was false while the database was down and true after.
"""

import http.client
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg
from load import Plan, _multipart

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "cluster"


@dataclass
class Fault:
    name: str
    began: float  # seconds since the run started
    recovered: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def recovery_seconds(self) -> float | None:
        return None if self.recovered is None else self.recovered - self.began


@dataclass
class Cluster:
    directory: Path
    env: dict[str, str]
    http_port: int
    app_ports: list[int]
    database_url: str
    origin: float

    def now(self) -> float:
        return time.monotonic() - self.origin

    def pid(self, name: str) -> int | None:
        try:
            return int((self.directory / "pids" / f"{name}.pid").read_text())
        except (OSError, ValueError):
            return None

    def run(self, *args: str) -> None:
        subprocess.run([str(SCRIPT), *args], env=self.env, check=True, capture_output=True)

    def get(
        self,
        path: str,
        port: int | None = None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> int | None:
        connection = http.client.HTTPConnection("127.0.0.1", port or self.http_port, timeout=5)
        try:
            connection.request("POST" if body else "GET", path, body=body, headers=headers or {})
            return connection.getresponse().status
        except (OSError, http.client.HTTPException):
            return None
        finally:
            connection.close()

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.database_url, connect_timeout=3) as connection:
            return list(connection.execute(query, params).fetchall())


def wait_for(check: Callable[[], bool], seconds: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(step)
    return False


class ReadinessProbe(threading.Thread):
    """``GET /readyz`` through nginx every 0.2 s: (seconds since start, status or None)."""

    def __init__(self, cluster: Cluster, deadline: float) -> None:
        super().__init__(daemon=True)
        self.cluster = cluster
        self.deadline = deadline
        self.samples: list[tuple[float, int | None]] = []

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            self.samples.append((self.cluster.now(), self.cluster.get("/readyz")))
            time.sleep(0.2)


def kill_app(cluster: Cluster) -> Fault:
    pid = cluster.pid("app1")
    fault = Fault("app server killed (SIGKILL app1 and its gunicorn workers)", cluster.now())
    if pid is None:
        raise SystemExit("app1 is not running: deploy/cluster status")
    os.killpg(pid, signal.SIGKILL)

    def back() -> bool:
        new = cluster.pid("app1")
        return new not in (None, pid) and cluster.get("/healthz", cluster.app_ports[0]) == 200

    if wait_for(back, 120):
        fault.recovered = cluster.now()
    return fault


def kill_worker(cluster: Cluster, plan: Plan, large_csv: bytes) -> tuple[Fault, int | None]:
    """Upload a survey large enough to keep a worker busy, and kill that worker mid-check."""
    token = plan.prepared["focal_points"]["NP"]["token"]
    auth = {"Authorization": f"Bearer {token}"}
    payload = {
        "kind": "survey",
        "country": "NP",
        "year": 2024,
        "title": f"Fault run {plan.prepared['run']}: killed worker",
        "source": "ops",
    }
    connection = http.client.HTTPConnection("127.0.0.1", cluster.http_port, timeout=60)
    connection.request(
        "POST",
        "/api/v1/statistics/datasets",
        body=json.dumps(payload).encode(),
        headers={**auth, "Content-Type": "application/json"},
    )
    dataset = json.loads(connection.getresponse().read())["id"]
    url = f"/api/v1/statistics/datasets/{dataset}"
    connection.request(
        "PUT",
        f"{url}/mapping",
        body=json.dumps(plan.mapping).encode(),
        headers={**auth, "Content-Type": "application/json"},
    )
    connection.getresponse().read()
    body, content_type = _multipart({}, {"file": ("large.csv", large_csv)})
    connection.request(
        "POST", f"{url}/microdata", body=body, headers={**auth, "Content-Type": content_type}
    )
    status = connection.getresponse()
    status.read()
    connection.close()
    if status.status != 202:
        raise SystemExit(f"the large survey upload answered {status.status}, not 202")
    began = cluster.now()
    running: list[tuple[Any, ...]] = []

    def claimed() -> bool:
        running[:] = cluster.sql(
            "SELECT id, worker_ids FROM django_tasks_database_dbtaskresult "
            "WHERE status = 'RUNNING' AND args_kwargs->'args'->>0 = %s",
            str(dataset),
        )
        return bool(running)

    if not wait_for(claimed, 60, 0.05):
        return Fault("worker killed mid-task", began, notes=["no worker claimed the task"]), None
    task_id, worker_ids = running[0]
    # cophub db_worker names itself host:pid:random; the cluster's pid files say which it is.
    claimed_by = int(worker_ids[-1].split(":")[1])
    name = next(
        (n for n in ("worker1", "worker2") if cluster.pid(n) == claimed_by), "an unknown worker"
    )
    pid = cluster.pid(name)
    fault = Fault(
        f"worker killed mid-task (SIGKILL {name} while it checked a survey)", cluster.now()
    )
    if pid is None:
        raise SystemExit(f"{name} has no pid file: deploy/cluster status")
    os.killpg(pid, signal.SIGKILL)
    log = cluster.directory / "logs" / f"{name}.log"
    starts = log.read_text(errors="replace").count("Starting worker")

    def back() -> bool:
        new = cluster.pid(name)
        return (
            new not in (None, pid)
            and log.read_text(errors="replace").count("Starting worker") > starts
        )

    if wait_for(back, 120):
        fault.recovered = cluster.now()
    fault.notes.append(f"task {task_id} (dataset {dataset}) was RUNNING on {name} (pid {pid})")
    return fault, dataset


def restart_postgres(cluster: Cluster, hold: float) -> Fault:
    fault = Fault(f"PostgreSQL restarted (fast shutdown, {hold:.0f} s down)", cluster.now())
    cluster.run("stop", "postgres")
    fault.notes.append(f"down at +{cluster.now() - fault.began:.1f} s")
    time.sleep(hold)
    fault.notes.append(f"starting at +{cluster.now() - fault.began:.1f} s")
    cluster.run("start", "postgres")
    if wait_for(lambda: cluster.get("/readyz") == 200, 120):
        fault.recovered = cluster.now()
    return fault


def restart_redis(cluster: Cluster, hold: float, callback_token: str) -> Fault:
    fault = Fault(f"Redis restarted (shutdown, {hold:.0f} s down)", cluster.now())
    cluster.run("stop", "redis")
    time.sleep(hold)
    cluster.run("start", "redis")
    path = f"/channels/ussd/africastalking?token={callback_token}"
    form = {
        "sessionId": "ATUid_ops_probe",
        "serviceCode": "*384*116#",
        "phoneNumber": "+254711099999",
        "networkCode": "63902",
        "text": "",
    }
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if wait_for(
        lambda: cluster.get(path, body=urlencode(form).encode(), headers=headers) == 200, 120
    ):
        fault.recovered = cluster.now()
    return fault
