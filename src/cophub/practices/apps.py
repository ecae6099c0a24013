from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _workflow_ready(**kwargs: Any) -> None:
    """The review workflow is data the module cannot work without: load it when missing (also
    after a test database is emptied)."""
    from .models import ReviewState
    from .workflow_data import workflow_load

    if not ReviewState.objects.exists():
        workflow_load()


class PracticesConfig(AppConfig):
    name = "cophub.practices"
    verbose_name = _("Best practices")

    def ready(self) -> None:
        post_migrate.connect(_workflow_ready, sender=self)
