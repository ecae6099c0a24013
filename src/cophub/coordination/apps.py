from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _bodies_ready(**kwargs: Any) -> None:
    """The bodies and their deadline rules are data the module cannot work without: load them
    when missing (also after a test database is emptied)."""
    from .bodies import bodies_load
    from .deadline_models import DeadlineRuleSet
    from .models import Body

    if not Body.objects.exists() or not DeadlineRuleSet.objects.exists():
        bodies_load()


class CoordinationConfig(AppConfig):
    name = "cophub.coordination"
    verbose_name = _("Coordination and reporting")

    def ready(self) -> None:
        post_migrate.connect(_bodies_ready, sender=self)
        # Children's answers are not copied into the audit log; moderation is in their status.
        from auditlog.registry import auditlog

        from .models import YouthSubmission

        auditlog.unregister(YouthSubmission)

        from .reports.services import report_source_register

        report_source_register()

        # The implementation view and the activity feed read summaries refreshed after the
        # modules' changes (decision 0041).
        from .reports.summaries import summaries_watch

        summaries_watch()
