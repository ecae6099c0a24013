"""Helpline resolver and USSD under load, against /healthz on the same server in the same run.

    .venv/bin/python benchmarks/helplines/bench_resolve.py [--seconds 10] [--connections 32]

Starts ``cophub serve`` (gunicorn, production settings) on a throwaway SQLite database loaded
with the demo directory, then drives it from this process over keep-alive HTTP/1.1 connections
on 127.0.0.1 only. Prints requests/s and p50/p99 latency for each endpoint and the ratios the
issue sets as goals: resolve ≥ 0.7× healthz throughput, resolve p99 < 50 ms at 32 connections,
USSD step p99 < 100 ms. Every loop is bounded in time and count; the server is stopped at the end.
"""

import argparse
import asyncio
import itertools
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


def start_server(var_dir: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
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
        ["helplines", "import", str(DATA / "demo_helplines.json")],
        ["helplines", "numbers", str(DATA / "demo_numbers.json")],
        ["collectstatic", "--noinput", "--verbosity", "0"],
    ):
        subprocess.run([COPHUB, *command], env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [COPHUB, "serve", "--no-collectstatic"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
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


def resolve_requests():  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    countries = ["KE", "UG", "ZA", "BR", "CA", "US", "EG", "JO", "IN", "PH", "AU", "KZ",
                 "RU", "GB", "FR", "DE", "ES", "IS"]  # fmt: skip
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
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="cophub-bench-"))
    port = _free_port()
    server = start_server(var_dir, port, args.workers)
    try:

        def run(requests, seconds: float = args.seconds) -> Measure:  # type: ignore[no-untyped-def]
            return asyncio.run(_drive(port, args.connections, seconds, requests))

        run(resolve_requests(), 2.0)  # warm-up: workers import and fill their caches
        health = run(lambda _w: [_get("/healthz")])
        resolve = run(resolve_requests())
        ussd = run(ussd_requests())
        print(f"cophub serve, {args.workers} workers, {args.connections} connections, "
              f"{args.seconds:.0f} s each, {os.cpu_count()} cores")  # fmt: skip
        report("GET /healthz (peer)", health)
        report("GET /api/v1/helplines/resolve", resolve)
        report("USSD step (3-step sessions)", ussd)
        print(f"resolve / healthz throughput: {resolve.rate / health.rate:.2f}x (goal >= 0.70x)")
        print(f"resolve p99: {resolve.percentile(0.99):.1f} ms (goal < 50 ms)")
        print(f"USSD step p99: {ussd.percentile(0.99):.1f} ms (goal < 100 ms)")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
