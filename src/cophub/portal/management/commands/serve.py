"""``cophub serve``: the production server (gunicorn, WEB_CONCURRENCY workers, static files
through WhiteNoise). Stateless: run as many as needed behind a reverse proxy."""

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication

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


class Command(BaseCommand):
    help = "Serve with a production-grade server (WEB_CONCURRENCY workers, BIND or PORT)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_collectstatic"]:
            static_collect()  # only when the static sources changed since the last collection
        call_command("compile_translations", verbosity=0)
        bind = os.environ.get("BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
        _Gunicorn(
            {
                "bind": bind,
                "workers": int(os.environ.get("WEB_CONCURRENCY", "4")),
                "threads": int(os.environ.get("WEB_THREADS", "2")),
                "accesslog": None,  # request logs would carry children's paths and addresses
                "errorlog": "-",
                "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            }
        ).run()
