"""``cophub demo``: migrate, load reference and demo data, start a task worker and serve."""

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Prepare the embedded demo database and serve the platform on 127.0.0.1:$PORT."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Prepare data, do not serve.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.COPHUB_DEMO:
            raise CommandError("cophub demo runs only with the demo settings.")
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_reference")
        call_command("load_demo_accounts")
        call_command("load_demo_helplines")
        call_command("load_demo_statistics")
        call_command("load_demo_resources")
        call_command("load_demo_strategies")
        call_command("load_demo_coordination")
        call_command("compile_translations")
        call_command("collectstatic", interactive=False, verbosity=0)
        if options["no_serve"]:
            return
        port = os.environ.get("PORT", "8000")
        # The task worker: our own console command, no outside input.
        worker = subprocess.Popen([sys.argv[0], "db_worker"])  # noqa: S603
        self.stdout.write(f"COP Hub demo: http://127.0.0.1:{port}/en/ (Ctrl-C to stop)")
        try:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        finally:
            worker.terminate()
