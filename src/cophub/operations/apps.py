from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "cophub.operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from django.core.signals import request_finished
        from django_tasks.signals import task_finished

        from . import checks  # noqa: F401 - registers the system checks
        from .request_ids import request_id_clear
        from .task_recovery import on_task_finished

        request_finished.connect(request_id_clear, dispatch_uid="cophub.request_id_clear")
        task_finished.connect(on_task_finished, dispatch_uid="cophub.operations.task_recovery")
