import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from cophub.accounts.models import User
from cophub.accounts.services import DEMO_USERNAMES

from .conftest import static_copied


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.standalone
def test_serve_runs_a_production_server_with_several_workers(
    tmp_path: Path, collected_static: Path
) -> None:
    static_copied(collected_static, tmp_path)  # collecting is tested in test_static_collection
    port = _free_port()
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    environment.update(
        DJANGO_SETTINGS_MODULE="cophub.config.settings.production",
        SECRET_KEY="serve-test-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        COPHUB_VAR_DIR=str(tmp_path),
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "cophub.manage", "serve"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = b""
        for _attempt in range(900):  # bounded wait (collectstatic, then the workers boot)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = r.read()
                    break
            except OSError:
                time.sleep(0.2)
        assert body == b'{"status": "ok"}'
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=5).read().decode()
        stylesheet = css.split('rel="stylesheet" href="')[1].split('"')[0]
        assert stylesheet.startswith("/static/cophub/site.")  # hashed name from the manifest
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{stylesheet}", timeout=5) as r:
            assert "immutable" in r.headers["Cache-Control"]  # WhiteNoise, cached for good
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert output.count("Booting worker") == 2, output


@pytest.mark.django_db
def test_demo_prepares_data_and_accounts(tmp_path: Path) -> None:
    with override_settings(STATIC_ROOT=tmp_path / "static"):
        call_command("demo", no_serve=True, verbosity=0)
    assert User.objects.filter(username__in=["bdt-staff", "focal-ke", "translator-ar"]).count() == 3
    assert (tmp_path / "static" / "cophub" / "quick-exit.js").exists()
    # Every account the demo creates has a reserved demo username (refused outside demo mode).
    assert set(User.objects.values_list("username", flat=True)) == DEMO_USERNAMES
