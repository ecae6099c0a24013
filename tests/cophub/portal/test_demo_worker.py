"""``cophub demo`` stops its task worker when it is stopped (SIGTERM, as a service manager or
``docker stop`` does; SIGINT, as Ctrl-C does)."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import FreshDatabase, static_copied
from .test_commands import _free_port

pytestmark = pytest.mark.standalone

WORKER_PID = re.compile(r"\(pid (\d+)\)")


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_demo_stops_its_worker(
    stop: signal.Signals,
    fresh_sqlite_database: FreshDatabase,
    collected_static: Path,
    tmp_path: Path,
) -> None:
    # Copies of the database ``cophub setup`` made and of the collected static files, so the
    # demo neither migrates from nothing nor compresses every static file again.
    database = tmp_path / "demo.sqlite3"
    shutil.copyfile(fresh_sqlite_database.path, database)
    static_copied(collected_static, tmp_path)
    port = _free_port()
    environment = {
        **fresh_sqlite_database.environment,
        "DJANGO_SETTINGS_MODULE": "cophub.config.settings.demo",
        "DATABASE_URL": f"sqlite:///{database}",
        "COPHUB_VAR_DIR": str(tmp_path),
        "PORT": str(port),
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    log = tmp_path / "demo.log"
    with log.open("w") as output:
        demo = subprocess.Popen(
            [sys.executable, "-m", "cophub.manage", "demo"],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    worker = None
    try:
        for _attempt in range(3000):  # bounded wait: demo data, translations, static files
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).close()
                break
            except OSError:
                assert demo.poll() is None, log.read_text()
                time.sleep(0.2)
        found = WORKER_PID.search(log.read_text())
        assert found is not None, log.read_text()
        worker = int(found.group(1))
        assert _parent_of(worker) == demo.pid and _alive(worker)
        demo.send_signal(stop)
        demo.wait(timeout=30)
        for _attempt in range(75):  # bounded: the demo waits for the worker before it exits
            if not _alive(worker):
                break
            time.sleep(0.2)
        assert not _alive(worker), log.read_text()
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
        if worker is not None and _alive(worker):
            os.kill(worker, signal.SIGKILL)  # left behind by the demo: do not leak it
