from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "cophub.operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from .task_recovery import on_task_finished

        task_finished.connect(on_task_finished, dispatch_uid="cophub.operations.task_recovery")
