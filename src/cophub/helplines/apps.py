from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelplinesConfig(AppConfig):
    name = "cophub.helplines"
    verbose_name = _("Helplines")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 — registers the system checks
            directory_version,  # noqa: F401 — new versions on every directory change
        )
