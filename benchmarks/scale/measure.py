"""Measure the main read paths of the database named by ``DATABASE_URL`` (run by ``run.py``
in a child process; the demo settings). Every path is asked by URL through Django's test
client, in process: queries (statements counted by an execute wrapper, first run), server
time (median of the timed runs, streams consumed to the end), bytes (streamed content
counted), peak Python memory of one run (``tracemalloc``, a separate run: it slows the code
it traces). Bulk downloads run once each in a fresh child process: time to the first chunk,
peak resident memory (see ``measure_bulk``). Writes a JSON list to the file named first."""

import io
import json
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django


@dataclass(frozen=True)
class Path:
    name: str
    url: str
    user: str | None = None  # signed in as this demo user
    post: dict[str, Any] | None = None  # JSON body of a POST
    command: tuple[str, ...] = ()  # a console command instead of a URL
    bulk: bool = False  # a streamed download: measured once, in a fresh child process


def paths() -> list[Path]:
    from django.utils import timezone

    today = timezone.localdate()
    period = {
        "kind": "quarterly",
        "period_start": today.replace(year=today.year - 1).isoformat(),
        "period_end": today.isoformat(),
        "regions": [],
        "title": "Scale benchmark",
    }
    bdt = "bdt-staff"
    return [
        Path("resolver page /en/help/KE/", "/en/help/KE/"),
        Path("resolver API", "/api/v1/helplines/resolve?country=KE"),
        Path("country profile", "/en/countries/KE/"),
        Path("indicator page", "/en/statistics/A1/"),
        Path("helplines API", "/api/v1/helplines"),
        Path("helplines API ?country", "/api/v1/helplines?country=KE"),
        Path("numbers page", "/en/numbers/"),
        Path("numbers API", "/api/v1/numbers"),
        Path("coverage page", "/en/help/coverage/"),
        Path("implementation page", "/en/coordination/implementation/"),
        Path("implementation API", "/api/v1/coordination/implementation"),
        Path("activities page", "/en/coordination/activities/", bdt),
        Path(
            "activities API",
            f"/api/v1/coordination/activities?start={period['period_start']}&end={today}",
            bdt,
        ),
        Path("releases API", "/api/v1/statistics/releases"),
        Path("observations JSON", "/api/v1/statistics/observations"),
        Path("observations JSON ?country", "/api/v1/statistics/observations?country=KE"),
        Path("observations CSV (bulk)", "/api/v1/statistics/observations?format=csv", bulk=True),
        Path(
            "observations SDMX-CSV (bulk)",
            "/api/v1/statistics/observations?format=sdmx-csv",
            bulk=True,
        ),
        Path("DHIS2 dataValueSets (bulk)", "/api/v1/statistics/dhis2/dataValueSets", bulk=True),
        Path("strategies list", "/en/strategies/", bdt),
        Path("strategies regional", "/en/strategies/regional/", bdt),
        Path("public profiles", "/en/strategies/profiles/"),
        Path("assessments API", "/api/v1/strategies/assessments", bdt),
        Path("resources hub", "/en/resources/"),
        Path("resources API", "/api/v1/resources/items"),
        Path("documents API", "/api/v1/coordination/meetings/1/documents"),
        Path("meeting page", "/en/coordination/meetings/1/"),
        Path("report compile (POST)", "/api/v1/coordination/reports", bdt, post=period),
        Path("report export docx", "/api/v1/coordination/reports/{report}/export?format=docx", bdt),
        Path("helplines download json (bulk)", "/api/v1/helplines/download", bulk=True),
        Path(
            "helplines download csv (bulk)", "/api/v1/helplines/download?format=csv", bulk=True
        ),
        Path(
            "helplines download hsds (bulk)", "/api/v1/helplines/download?format=hsds", bulk=True
        ),
    ]


class Runner:
    def __init__(self) -> None:
        from django.test import Client

        self.clients: dict[str | None, Any] = {None: Client()}
        self.report: int | None = None

    def client(self, username: str | None) -> Any:
        from django.test import Client

        from cophub.accounts.models import User

        if username not in self.clients:
            client = Client()
            client.force_login(User.objects.get(username=username))
            self.clients[username] = client
        return self.clients[username]

    def once(self, path: Path) -> dict[str, Any]:
        """One request (or command), consumed to the end: bytes, status, first chunk time."""
        started = time.perf_counter()
        if path.command:
            from django.core.management import call_command

            with tempfile.TemporaryDirectory() as folder:
                out = pathlib.Path(folder) / "export"
                call_command(*path.command, "--out", str(out), stdout=io.StringIO())
                size = out.stat().st_size
            return {"status": 0, "bytes": size, "stream": False, "first": None, "started": started}
        client = self.client(path.user)
        url = path.url.replace("{report}", str(self.report))
        if path.post is not None:
            response = client.post(url, json.dumps(path.post), content_type="application/json")
        else:
            response = client.get(url)
        first = None
        if response.streaming:
            size = 0
            for chunk in response.streaming_content:
                if first is None:
                    first = time.perf_counter() - started
                size += len(chunk)
        else:
            size = len(response.content)
        if path.post is not None and response.status_code == 201:
            self.report = response.json()["id"]
        return {
            "status": response.status_code,
            "bytes": size,
            "stream": response.streaming,
            "first": first,
            "started": started,
        }


class QueryCount:
    """Counts the statements sent (``CaptureQueriesContext`` loses them: every request
    starts by resetting the connection's query log)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def _status_kb(field: str) -> int:
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def measure_bulk(runner: Runner, path: Path) -> dict[str, Any]:
    """A streamed download, once, in this fresh process: the peak resident memory above what
    the process held before (``VmHWM`` reset through ``/proc/self/clear_refs``), which
    counts the database driver's buffers too."""
    from django.db import connection

    runner.once(Path("warm-up", path.url + ("&" if "?" in path.url else "?") + "country=XX"))
    before = _status_kb("VmRSS")
    pathlib.Path("/proc/self/clear_refs").write_text("5")
    counter = QueryCount()
    with connection.execute_wrapper(counter):
        run = runner.once(path)
    elapsed = (time.perf_counter() - run["started"]) * 1000
    if run["status"] != 200:
        return {"name": path.name, "url": path.url, "error": f"HTTP {run['status']}"}
    return {
        "name": path.name,
        "url": path.url,
        "queries": counter.count,
        "ms": elapsed,
        "bytes": run["bytes"],
        "stream": run["stream"],
        "first_byte_ms": run["first"] * 1000 if run["first"] is not None else None,
        "peak_mb": (_status_kb("VmHWM") - before) / 1000,
    }


def measure(runner: Runner, path: Path, repeat: int) -> dict[str, Any]:
    from django.db import connection

    if path.bulk:
        return _bulk_in_child(path)
    counter = QueryCount()
    with connection.execute_wrapper(counter):
        first = runner.once(path)
    if first["status"] not in (0, 200, 201):
        return {"name": path.name, "url": path.url, "error": f"HTTP {first['status']}"}
    times, firsts = [], []
    for _ in range(repeat):
        run = runner.once(path)
        times.append((time.perf_counter() - run["started"]) * 1000)
        if run["first"] is not None:
            firsts.append(run["first"] * 1000)
    tracemalloc.start()
    tracemalloc.reset_peak()
    runner.once(path)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "name": path.name,
        "url": path.url,
        "queries": counter.count,
        "ms": statistics.median(times),
        "bytes": first["bytes"],
        "stream": first["stream"],
        "first_byte_ms": statistics.median(firsts) if firsts else None,
        "peak_mb": peak / 1e6,
    }


def _bulk_in_child(path: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        out = pathlib.Path(folder) / "bulk.json"
        subprocess.run([sys.executable, __file__, str(out), "1", path.name], check=True)
        return dict(json.loads(out.read_text()))


def main() -> None:
    out, repeat = pathlib.Path(sys.argv[1]), int(sys.argv[2])
    bulk = sys.argv[3] if len(sys.argv) > 3 else None
    django.setup()
    import logging

    from cophub.portal.static_collection import static_collect

    static_collect()  # the pages name their static files from the manifest
    if not bulk:  # a grown database follows the code's schema (new indexes included)
        from django.core.management import call_command

        call_command("migrate", verbosity=0, stdout=sys.stderr)
        # The implementation view and the feed read coordination's summaries, which a worker
        # keeps current after each change (decision 0041); growth runs no worker.
        call_command("coordination", "summaries", stdout=sys.stderr)
    logging.disable(logging.WARNING)  # 4xx lines and wagtail's page log are not results
    runner = Runner()
    if bulk:
        (path,) = (p for p in paths() if p.name == bulk)
        out.write_text(json.dumps(measure_bulk(runner, path)))
        return
    results = []
    measure_one: Callable[[Path], dict[str, Any]] = lambda p: measure(runner, p, repeat)  # noqa: E731
    for path in paths():
        try:
            results.append(measure_one(path))
        except Exception as error:  # noqa: BLE001 - a broken path is a result, the others still count
            results.append({"name": path.name, "url": path.url, "error": repr(error)[:120]})
        print(f"[measure] {results[-1]}", file=sys.stderr, flush=True)
    out.write_text(json.dumps(results))


if __name__ == "__main__":
    main()
