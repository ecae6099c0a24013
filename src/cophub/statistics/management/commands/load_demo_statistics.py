from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cophub.portal.errors import ActionForbidden
from cophub.statistics.demo import demo_statistics_load


class Command(BaseCommand):
    help = "Load synthetic, clearly labelled demo statistics through the workflow (demo only)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            releases = demo_statistics_load()
        except ActionForbidden as refused:
            raise CommandError(str(refused.message)) from refused
        if releases:
            self.stdout.write(f"Demo statistics: {releases} synthetic releases published.")
        else:
            self.stdout.write("Demo statistics were already loaded.")
