"""``cophub serve``: the production server (gunicorn, WEB_CONCURRENCY workers, static files
through WhiteNoise). Stateless: run as many as needed behind a reverse proxy.

Gunicorn's own lines (workers booting, timeouts) go through the project's ``LOGGING`` like every
other line (JSON in production), and it writes no access log: the project's request lines name
routes, never paths or addresses. The workers' metrics are added up across processes (see
``cophub.operations.metrics_processes``)."""

import logging
import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from cophub.operations.metrics_processes import metrics_multiprocess, metrics_process_dead
from cophub.portal.static_collection import static_collect


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from cophub.config.wsgi import application

        return application


class _ProjectLogger(Logger):  # type: ignore[misc]
    """Gunicorn's logger without handlers of its own: ``gunicorn.error`` propagates to the
    root handler of ``LOGGING`` (its privacy filter and format); there is no access log."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in list(log.handlers):
                log.removeHandler(handler)
        self.error_log.propagate = True
        self.access_log.disabled = True

    def access(self, *args: Any, **kwargs: Any) -> None:
        return None


def _child_exit(server: Any, worker: Any) -> None:
    metrics_process_dead(worker.pid)


class Command(BaseCommand):
    help = "Serve with a production-grade server (WEB_CONCURRENCY workers, BIND or PORT)."
    # Checked in handle(), once the metrics directory is set: the checks import the URLs, and so
    # prometheus-client, which reads its mode when first imported.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-collectstatic", action="store_true")
        parser.add_argument("--skip-checks", action="store_true", help="Skip system checks.")

    def handle(self, *args: Any, **options: Any) -> None:
        with metrics_multiprocess():
            if not options["skip_checks"]:
                self.check()
            if not options["no_collectstatic"]:
                static_collect()  # only when the static sources changed
            call_command("compile_translations", verbosity=0)
            bind = os.environ.get("BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
            _Gunicorn(
                {
                    "bind": bind,
                    "workers": int(os.environ.get("WEB_CONCURRENCY", "4")),
                    "threads": int(os.environ.get("WEB_THREADS", "2")),
                    "accesslog": None,  # request lines: cophub.requests, without paths
                    "logger_class": _ProjectLogger,
                    "loglevel": logging.getLevelName(logging.getLogger().level).lower(),
                    "child_exit": _child_exit,
                    "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
                }
            ).run()
