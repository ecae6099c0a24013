"""``cophub demo``: ``cophub setup``, the demo data, a task worker and the server. The worker
stops with the demo (Ctrl-C or SIGTERM)."""

import os
import signal
import subprocess
import sys
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cophub.portal.static_collection import static_collect

WORKER_STOP_SECONDS = 10


class Command(BaseCommand):
    help = "Prepare the embedded demo database and serve the platform on 127.0.0.1:$PORT."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Prepare data, do not serve.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.COPHUB_DEMO:
            raise CommandError("cophub demo runs only with the demo settings.")
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("setup")
        call_command("load_demo_accounts")
        call_command("load_demo_helplines")
        call_command("load_demo_statistics")
        call_command("load_demo_resources")
        call_command("load_demo_strategies")
        call_command("load_demo_coordination")
        call_command("compile_translations")
        static_collect()
        if options["no_serve"]:
            return
        port = os.environ.get("PORT", "8000")
        # The task worker: our own console command, no outside input. (``-m``, not
        # ``sys.argv[0]``: ``python -m cophub.manage demo`` has no script to run.)
        command = [sys.executable, "-m", "cophub.manage", "db_worker"]
        worker = subprocess.Popen(command)  # noqa: S603
        self.stdout.write(_("Task worker started (pid %(pid)s).") % {"pid": worker.pid})
        self.stdout.write(f"COP Hub demo: http://127.0.0.1:{port}/en/ (Ctrl-C to stop)")
        # SIGTERM ends the server like Ctrl-C does, so the worker is stopped below either way.
        previous = signal.signal(signal.SIGTERM, _exit_on_signal)
        try:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        finally:
            signal.signal(signal.SIGTERM, previous)
            _worker_stop(worker)


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _worker_stop(worker: subprocess.Popen[bytes]) -> None:
    """Ask the worker to stop, wait for it, and kill it if it does not stop in time."""
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
