from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _hub_ready(**kwargs: Any) -> None:
    """After migrations (and after a test database is emptied): taxonomies and the hub exist,
    so /<lang>/resources/ always answers, in every language."""
    from .models import Audience
    from .services import hub_ensure
    from .taxonomy import taxonomy_load

    if not Audience.objects.exists():
        taxonomy_load()
    hub_ensure()


class ResourcesConfig(AppConfig):
    name = "cophub.resources"
    verbose_name = _("Resources hub")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receivers
        from .models.pages import page_contexts
        from .taxonomy import taxonomy_source_register
        from .views import hub_context, resource_context

        taxonomy_source_register()
        page_contexts.update(hub=hub_context, resource=resource_context)

        post_migrate.connect(_hub_ready, sender=self)
