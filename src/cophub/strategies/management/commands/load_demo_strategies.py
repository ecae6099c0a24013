from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cophub.strategies.demo import demo_strategies_load


class Command(BaseCommand):
    help = "Load the assessment frameworks and the demo assessments (demo mode only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.COPHUB_DEMO:
            raise CommandError("Demo strategies are loaded only in demo mode.")
        assessments = demo_strategies_load()
        self.stdout.write(f"Demo strategies: {len(assessments)} assessments.")
