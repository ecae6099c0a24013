"""``deploy/cluster``: the production topology on loopback ports, checked through nginx.

Starts the cluster (nginx from Debian, two ``cophub serve`` app servers, two ``cophub
db_worker`` processes, its own PostgreSQL and Redis) in ``var/cluster-test/`` on ports of its
own, so a developer's ``var/cluster/`` is left alone, then checks what only the whole topology
shows: static files come from nginx, the app reads the client address from nginx and from no
one else, bodies over nginx's limit are refused there and bodies under it reach the app, the
widget alone may be framed, and a killed app server costs no request and is started again.

Skipped when nginx, PostgreSQL's server programs or Redis are not installed, unless
``REQUIRE_CLUSTER`` is set (``.ci/run`` sets it and installs them), as for the browser tests.
The first start migrates a new database and collects the static files (a few minutes on a busy
2-core machine); later runs reuse ``var/cluster-test/`` and start in well under a minute.
"""

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "cluster"
HTTP_PORT = 18080
APP_PORTS = (18101, 18102)
PASSWORD = "cluster-test-password-9f2c"  # a throwaway account of the test cluster

# Its own processes on its own database: run once, not again in the PostgreSQL pass.
pytestmark = [pytest.mark.cluster, pytest.mark.standalone]


def _missing() -> list[str]:
    missing = []
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        missing.append("nginx")
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        missing.append("postgresql")
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    return missing


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str:
        return ", ".join(self.headers.get_all(name) or [])


@dataclass
class Cluster:
    directory: Path
    env: dict[str, str]

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        source: str = "127.0.0.1",
        port: int = HTTP_PORT,
    ) -> Answer:
        """One request from the loopback address ``source`` (127.0.0.0/8 is all loopback)."""
        connection = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=30, source_address=(source, 0)
        )
        try:
            connection.request(method, path, body=body, headers=headers or {})
            answer = connection.getresponse()
            return Answer(answer.status, answer.headers, answer.read())
        finally:
            connection.close()

    def access_log(self) -> list[str]:
        return (self.directory / "logs" / "nginx-access.log").read_text().splitlines()

    def pid(self, name: str) -> int:
        return int((self.directory / "pids" / f"{name}.pid").read_text())

    def run(self, *args: str) -> str:
        return subprocess.run(
            [str(SCRIPT), *args], env=self.env, check=True, capture_output=True, text=True
        ).stdout


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    missing = _missing()
    if missing:
        message = f"deploy/cluster needs {', '.join(missing)} (Debian packages)"
        if os.environ.get("REQUIRE_CLUSTER"):
            pytest.fail(f"REQUIRE_CLUSTER is set but {message}", pytrace=False)
        pytest.skip(message)
    directory = ROOT / "var" / "cluster-test"
    env = dict(
        os.environ,
        CLUSTER_DIR=str(directory),
        CLUSTER_HTTP_PORT=str(HTTP_PORT),
        CLUSTER_APP_PORTS=" ".join(map(str, APP_PORTS)),
        CLUSTER_PG_PORT="55433",
        CLUSTER_REDIS_PORT="56380",
        CLUSTER_PYTHON=sys.executable,
        PYTHONPATH=str(ROOT / "src"),
    )
    started = subprocess.run(
        [str(SCRIPT), "start"], env=env, capture_output=True, text=True, timeout=1200
    )
    the_cluster = Cluster(directory, env)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        yield the_cluster
    finally:
        stopped = subprocess.run(
            [str(SCRIPT), "stop"], env=env, capture_output=True, text=True, timeout=300
        )
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr


def _logged(cluster: Cluster, before: int, path: str) -> list[str]:
    return [line for line in cluster.access_log()[before:] if f" {path} " in line]


def test_pages_come_from_the_app_servers_and_static_files_from_nginx(cluster: Cluster) -> None:
    before = len(cluster.access_log())
    page = cluster.request("GET", "/en/")
    assert page.status == 200
    assert b"<html" in page.body
    manifest = json.loads((cluster.directory / "var" / "static" / "staticfiles.json").read_text())
    hashed = "/static/" + manifest["paths"]["helplines/widget.js"]
    script = cluster.request("GET", hashed, headers={"Accept-Encoding": "gzip"})
    assert script.status == 200
    assert script.header("Content-Encoding") == "gzip"  # the .gz collectstatic wrote
    assert "immutable" in script.header("Cache-Control")
    unhashed = cluster.request("GET", "/static/helplines/widget.js")
    assert unhashed.header("Cache-Control") == "public, max-age=3600"
    assert cluster.request("GET", "/media/statistics/anything").status == 404
    # The access log names the app server that answered: one for the page, none for the files.
    (page_line,) = _logged(cluster, before, "/en/")
    assert re.search(r'"127\.0\.0\.1:181\d\d"', page_line), page_line
    (script_line,) = _logged(cluster, before, hashed)
    assert '"-"' in script_line and "127.0.0.1:181" not in script_line, script_line
    # No client address and no query string in it.
    cluster.request("GET", "/api/v1/helplines/resolve?country=KE&phone=%2B254700000000")
    assert not any("254700000000" in line for line in cluster.access_log())
    assert not any(" 127.0.0.1 " in line for line in cluster.access_log())


def _sign_in(cluster: Cluster, source: str, password: str, forwarded: str = "") -> Answer:
    form = cluster.request("GET", "/en/accounts/login/", source=source)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
    cookie = re.search(r"csrftoken=([^;]+)", form.header("Set-Cookie"))
    assert token and cookie, form.status
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookie.group(1)}",
    }
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    body = urlencode(
        {
            "username": "cluster-test",
            "password": password,
            "csrfmiddlewaretoken": token.group(1).decode(),
        }
    ).encode()
    return cluster.request("POST", "/en/accounts/login/", body=body, headers=headers, source=source)


def test_the_app_counts_sign_ins_against_the_address_nginx_saw(cluster: Cluster) -> None:
    """Five failures from 127.0.0.2 lock that address only: the app read the client address
    from nginx (all requests reach it from 127.0.0.1), and nginx replaced the address the
    client claimed (127.0.0.3) with the one it connected from."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cophub.manage",
            "shell",
            "-c",
            "from axes.models import AccessAttempt, AccessFailureLog;"
            "from cophub.accounts.models import User;"
            "AccessAttempt.objects.all().delete(); AccessFailureLog.objects.all().delete();"
            "u = User.objects.filter(username='cluster-test').first() or "
            "User(username='cluster-test', email='cluster-test@example.org');"
            f"u.set_password('{PASSWORD}'); u.is_active = True; u.save()",
        ],
        env=_app_env(cluster),
        check=True,
        capture_output=True,
    )
    for attempt in range(1, 6):
        failed = _sign_in(cluster, "127.0.0.2", "wrong-password", forwarded="127.0.0.3")
        # The form again with its error; the fifth failure locks (Axes' 429 page).
        assert failed.status == (429 if attempt == 5 else 200), attempt
    locked = _sign_in(cluster, "127.0.0.2", PASSWORD, forwarded="127.0.0.3")
    assert locked.status == 429
    elsewhere = _sign_in(cluster, "127.0.0.3", PASSWORD)
    assert elsewhere.status == 302, elsewhere.body[:300]
    assert "sessionid=" in elsewhere.header("Set-Cookie")


def _app_env(cluster: Cluster) -> dict[str, str]:
    env = dict(cluster.env)
    for line in (cluster.directory / "env").read_text().splitlines():
        name, _, value = line.partition("=")
        env[name] = value
    return env


def test_bodies_over_the_limit_stop_at_nginx_and_smaller_ones_reach_the_app(
    cluster: Cluster,
) -> None:
    # Over nginx's limit (52 MB): refused from the headers alone, before any body is sent.
    connection = http.client.HTTPConnection("127.0.0.1", HTTP_PORT, timeout=30)
    connection.putrequest("POST", "/api/v1/statistics/datasets/1/microdata")
    connection.putheader("Content-Type", "multipart/form-data; boundary=x")
    connection.putheader("Content-Length", str(60 * 1024 * 1024))
    connection.endheaders()
    assert connection.getresponse().status == 413
    connection.close()
    # Just over the app's 50 MB upload limit: nginx lets it through, the app answers (here:
    # no token, 401 in the API's shape; with one, its translated upload error).
    boundary = "cluster-test-boundary"
    payload = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="s.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + b"a,b\n" * (51 * 1024 * 1024 // 4)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    answer = cluster.request(
        "POST",
        "/api/v1/statistics/datasets/1/microdata",
        body=payload,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert answer.status == 401
    assert json.loads(answer.body)["code"] == "unauthenticated"
    # A JSON body over Django's in-memory limit: the app's own translated 413.
    big = b'{"name": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    refused = cluster.request(
        "POST",
        "/api/v1/tokens",
        body=big,
        headers={"Content-Type": "application/json", "Accept-Language": "fr"},
    )
    assert refused.status == 413
    error = json.loads(refused.body)
    assert error["code"] == "too_large"
    assert error["message"] == "La requête dépasse la taille acceptée par le serveur."


def test_only_the_widget_may_be_framed(cluster: Cluster) -> None:
    widget = cluster.request("GET", "/en/widget/KE/")
    assert widget.status == 200
    assert not widget.header("X-Frame-Options")
    assert "frame-ancestors *" in widget.header("Content-Security-Policy")
    for path in ("/en/", "/en/help/KE/", "/en/accounts/login/"):
        page = cluster.request("GET", path)
        assert page.header("X-Frame-Options") == "DENY", path
        assert "frame-ancestors 'none'" in page.header("Content-Security-Policy"), path


def test_both_app_servers_answer_and_a_killed_one_costs_no_request(cluster: Cluster) -> None:
    before = len(cluster.access_log())
    for _ in range(12):
        assert cluster.request("GET", "/healthz").status == 200
    upstreams = {
        match.group(1)
        for line in _logged(cluster, before, "/healthz")
        if (match := re.search(r'"(127\.0\.0\.1:\d+)"', line))
    }
    assert upstreams == {f"127.0.0.1:{port}" for port in APP_PORTS}
    # Kill app1 and everything it forked, as a crash would.
    killed = cluster.pid("app1")
    os.killpg(killed, signal.SIGKILL)
    statuses = [cluster.request("GET", "/en/").status for _ in range(10)]
    assert statuses == [200] * 10
    # Its supervisor starts it again (deploy/systemd: Restart=always).
    for _ in range(600):
        try:
            if cluster.request("GET", "/healthz", port=APP_PORTS[0]).status == 200:
                break
        except OSError:
            pass
        time.sleep(0.2)
    else:
        pytest.fail("app1 was not started again within 120 s")
    assert cluster.pid("app1") != killed
    assert "app1      running" in cluster.run("status")
