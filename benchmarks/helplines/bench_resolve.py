"""Helpline resolver and USSD under load, against /healthz on the same server in the same run.

    .venv/bin/python benchmarks/helplines/bench_resolve.py [--seconds 10] [--connections 32]
        [--dense 40]

Starts ``cophub serve`` (gunicorn, production settings) on a throwaway SQLite database loaded
with the demo directory, then drives it from this process over keep-alive HTTP/1.1 connections
on 127.0.0.1 only. Prints requests/s and p50/p99 latency for each endpoint and the ratios the
issue sets as goals: resolve ≥ 0.7× healthz throughput, resolve p99 < 50 ms at 32 connections,
USSD step p99 < 100 ms. With ``--dense N`` (default 40; 0 skips it) a country the demo does not
cover (Nigeria) is loaded with N synthetic helplines through the directory import — about 100×
the demo's density — and resolve is measured again against that country alone ("100×"), with
its own /healthz measured just before. Every loop is bounded in time and count; the server is
stopped at the end.
"""

import argparse
import asyncio
import itertools
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
COPHUB = str(ROOT / ".venv" / "bin" / "cophub")
AT_TOKEN = "benchmark-only-callback-token"  # noqa: S105 — the throwaway server's USSD secret
DATA = ROOT / "src" / "cophub" / "helplines" / "data"
MAX_REQUESTS = 2_000_000  # hard bound on any loop
DENSE_COUNTRY = "NG"  # not in the demo directory


def dense_document(count: int) -> dict[str, object]:
    """``count`` plausible entries for DENSE_COUNTRY (kinds, ages, languages, topics and hours
    varied; a voice line and an SMS each, every third a web chat), in the open data format."""
    hours = ["24/7", [{"days": ["mon", "tue", "wed", "thu", "fri"], "open": "08:00",
             "close": "17:00"}], [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
             "open": "18:00", "close": "02:00"}], None]  # fmt: skip
    entries = []
    for i in range(count):
        contacts = [
            {"channel": "voice", "value": f"0800 {100 + i}", "free": i % 3 != 2,
             "hours": hours[i % 4]},
            {"channel": "sms", "value": f"2{2000 + i}", "free": True, "hours": hours[(i + 1) % 4]},
        ]  # fmt: skip
        if i % 3 == 0:
            contacts.append(
                {"channel": "webchat", "value": f"https://chat.example.org/{i}", "hours": None}
            )
        entries.append({
            "id": f"ng-bench-{i:03d}", "name": {"en": f"Benchmark line {i}"},
            "country": DENSE_COUNTRY,
            "kind": ["child_helpline", "general_helpline", "csam_hotline"][i % 3],
            "topics": [["online_harm"], ["abuse"], ["mental_health"], []][i % 4],
            "age_min": [None, 0, 10, 13][i % 4], "age_max": [None, 17, 18, 24][i % 4],
            "languages": [["en", "ha"], ["en"], ["yo"], ["fr", "en"]][i % 4],
            "timezone": "Africa/Lagos", "contacts": contacts,
            "source": {"url": f"https://example.org/bench/{i}", "type": "operator_website"},
        })  # fmt: skip
    return {"format": "cophub.helplines/1", "helplines": entries}


@dataclass
class Measure:
    name: str
    requests: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _demo_without_owners(var_dir: Path) -> Path:
    """The demo directory without ``owner`` (organisations the benchmark does not create; who
    may edit an entry does not change what it answers)."""
    document = json.loads((DATA / "demo_helplines.json").read_text(encoding="utf-8"))
    for entry in document["helplines"]:
        entry.pop("owner", None)
    path = var_dir / "demo_helplines.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def start_server(var_dir: Path, port: int, workers: int, dense: int) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="cophub.config.settings.production",
        SECRET_KEY="benchmark-only-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        COPHUB_VAR_DIR=str(var_dir),
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers),
        SMS_CLIENT="recording",
        AT_CALLBACK_TOKEN=AT_TOKEN,
    )
    for command in (
        ["migrate", "--verbosity", "0"],
        ["load_reference"],
        ["helplines", "import", str(_demo_without_owners(var_dir))],
        ["helplines", "numbers", str(DATA / "demo_numbers.json")],
        ["collectstatic", "--noinput", "--verbosity", "0"],
    ):
        subprocess.run([COPHUB, *command], env=env, check=True, stdout=subprocess.DEVNULL)
    if dense:
        document = var_dir / "dense_helplines.json"
        document.write_text(json.dumps(dense_document(dense)), encoding="utf-8")
        subprocess.run(
            [COPHUB, "helplines", "import", str(document)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    server = subprocess.Popen(
        [COPHUB, "serve", "--no-collectstatic"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(900):  # up to 90 s: a loaded machine starts gunicorn slowly
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the server did not start")


async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> int:
    writer.write(raw)
    await writer.drain()
    status_line = await reader.readline()
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    await reader.readexactly(length)
    return int(status_line.split()[1])


def _get(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()


def _post(path: str, form: dict[str, str]) -> bytes:
    body = urlencode(form).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _drive(port: int, connections: int, seconds: float, requests) -> Measure:  # type: ignore[no-untyped-def]
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    counter = itertools.count()

    async def worker(worker_id: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < deadline and next(counter) < MAX_REQUESTS:
                for raw in requests(worker_id):
                    started = time.perf_counter()
                    status = await _request(reader, writer, raw)
                    latencies.append(time.perf_counter() - started)
                    errors += status >= 400
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(connections)))
    elapsed = time.perf_counter() - started
    if errors:
        print(f"  warning: {errors} error responses")
    return Measure("", len(latencies), elapsed, latencies)


def resolve_requests(only: str | None = None):  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    countries = [only] if only else ["KE", "UG", "ZA", "BR", "CA", "US", "EG", "JO", "IN", "PH",
                                     "AU", "KZ", "RU", "GB", "FR", "DE", "ES", "IS"]  # fmt: skip
    languages = ["en", "fr", "es", "ar", "ru", "sw", "zh-hans"]

    def make(_worker: int) -> list[bytes]:
        query = {"country": rng.choice(countries), "age": str(rng.randint(8, 17)),
                 "lang": rng.choice(languages)}  # fmt: skip
        if rng.random() < 0.3:
            query["channels"] = "voice,sms"
        return [_get("/api/v1/helplines/resolve?" + urlencode(query))]

    return make


def ussd_requests():  # type: ignore[no-untyped-def]
    session = itertools.count()

    def make(worker: int) -> list[bytes]:
        session_id = f"ATUid_bench_{worker}_{next(session)}"
        form = {"sessionId": session_id, "serviceCode": "*384*116#",
                "phoneNumber": f"+2547110{worker:05d}", "networkCode": "63902"}  # fmt: skip
        return [
            _post(f"/channels/ussd/africastalking?token={AT_TOKEN}", {**form, "text": text})
            for text in ("", "1", "1*1")
        ]

    return make


def report(name: str, measure: Measure) -> None:
    print(
        f"{name:<34} {measure.rate:9.0f} req/s   p50 {measure.percentile(0.5):6.1f} ms"
        f"   p99 {measure.percentile(0.99):6.1f} ms   ({measure.requests} requests)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    parser.add_argument("--dense", type=int, default=40, help="helplines in the 100x country")
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="cophub-bench-"))
    port = _free_port()
    server = start_server(var_dir, port, args.workers, args.dense)
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    try:

        def run(requests, seconds: float = args.seconds) -> Measure:  # type: ignore[no-untyped-def]
            return asyncio.run(_drive(port, args.connections, seconds, requests))

        run(resolve_requests(), 2.0)  # warm-up: workers import and fill their caches
        health = run(lambda _w: [_get("/healthz")])
        resolve = run(resolve_requests())
        ussd = run(ussd_requests())
        dense: tuple[Measure, Measure] | None = None
        if args.dense:
            run(resolve_requests(DENSE_COUNTRY), 2.0)  # warm-up: the dense country prepared
            dense = (run(lambda _w: [_get("/healthz")]), run(resolve_requests(DENSE_COUNTRY)))
        print(f"cophub serve, {args.workers} workers, {args.connections} connections, "
              f"{args.seconds:.0f} s each, {os.cpu_count()} cores")  # fmt: skip
        report("GET /healthz (peer)", health)
        report("GET /api/v1/helplines/resolve", resolve)
        report("USSD step (3-step sessions)", ussd)
        print(f"resolve / healthz throughput: {resolve.rate / health.rate:.2f}x (goal >= 0.70x)")
        print(f"resolve p99: {resolve.percentile(0.99):.1f} ms (goal < 50 ms)")
        print(f"USSD step p99: {ussd.percentile(0.99):.1f} ms (goal < 100 ms)")
        if dense:
            health, resolve = dense
            print(f"100x: {args.dense} helplines in {DENSE_COUNTRY}, every request for it")
            report("GET /healthz (peer)", health)
            report(f"GET /api/v1/helplines/resolve {DENSE_COUNTRY}", resolve)
            print(f"100x resolve / healthz throughput: {resolve.rate / health.rate:.2f}x "
                  "(goal >= 0.70x)")  # fmt: skip
            print(f"100x resolve p99: {resolve.percentile(0.99):.1f} ms (goal < 50 ms)")
        print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
