from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "cophub.operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from django.core.signals import request_finished

        from . import checks  # noqa: F401 - registers the system checks
        from .request_ids import request_id_clear

        request_finished.connect(request_id_clear, dispatch_uid="cophub.request_id_clear")
