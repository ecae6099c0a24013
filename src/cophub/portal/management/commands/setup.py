"""``cophub setup``: everything a database needs to serve, safe to rerun after every upgrade.

Applies the migrations, then runs every app's setup steps (reference data, bodies, helpline
topics, frameworks, ...; see ``cophub.portal.setup_registry``) and prints one line saying what
changed."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cophub.portal.setup_registry import StepResult, migrations_pending, setup_steps, step_run


class Command(BaseCommand):
    help = "Migrate and load the data the platform needs to serve; idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        applied = migrations_pending()
        call_command("migrate", interactive=False, verbosity=0)
        results = [step_run(step) for step in setup_steps()]
        self.stdout.write(setup_summary(applied, results))


def setup_summary(applied: int, results: list[StepResult]) -> str:
    """``Setup: 3 migrations applied; reference data: 0 rows changed; ...``"""
    parts = [
        ngettext("%(count)s migration applied", "%(count)s migrations applied", applied)
        % {"count": applied}
    ]
    for result in results:
        parts.append(
            ngettext(
                "%(step)s: %(count)s row changed",
                "%(step)s: %(count)s rows changed",
                result.changed,
            )
            % {"step": result.label, "count": result.changed}
        )
    return _("Setup: %(steps)s.") % {"steps": "; ".join(parts)}
