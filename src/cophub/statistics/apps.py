from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "cophub.statistics"
    verbose_name = _("COP statistics")

    def ready(self) -> None:
        # Computed cells are written and replaced in bulk, hundreds at a time; the dataset's own
        # history (DatasetEvent, Release) records who did what, so auditing each cell would
        # only slow every check and publication down.
        from auditlog.registry import auditlog

        from . import tasks  # noqa: F401 - registers the check tasks (checking.CHECK_TASKS)
        from .models import ContactCount, Estimate, Observation

        for model in (Estimate, Observation, ContactCount):
            auditlog.unregister(model)
