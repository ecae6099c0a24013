from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cophub.helplines.services import demo_helplines_load
from cophub.helplines.verification.demo import demo_campaign_load


class Command(BaseCommand):
    help = "Load the demo helpline directory and number registry (demo mode only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.COPHUB_DEMO:
            raise CommandError("Demo helplines are loaded only in demo mode.")
        directory, numbers = demo_helplines_load()
        self.stdout.write(
            f"Demo helplines: {directory.created} created, {directory.updated} updated; "
            f"{numbers} numbers."
        )
        campaign = demo_campaign_load()
        if campaign is not None:
            self.stdout.write(f"Demo verification campaign {campaign.pk}.")
