from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cophub.coordination.demo import demo_coordination_load
from cophub.coordination.reports.summaries import summaries_rebuild


class Command(BaseCommand):
    help = "Load the demo CWG-COP meetings, documents, activities and report (demo mode only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.COPHUB_DEMO:
            raise CommandError("Demo coordination data is loaded only in demo mode.")
        report = demo_coordination_load()
        summaries_rebuild()  # the demo's records, every module's, in the feed at once
        number = (report.number if report else "") or "—"
        self.stdout.write(f"Demo coordination: quarterly report {number}.")
