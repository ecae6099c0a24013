from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from cophub.practices.demo import demo_people, demo_practices_load
from cophub.resources.demo import demo_resources_load


class Command(BaseCommand):
    help = (
        "Load the demo resources hub (guidelines for every audience, a course, translations in "
        "every state) and a call for best practices with submissions in every state. Demo only; "
        "needs the demo accounts (load_demo_accounts)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.COPHUB_DEMO:
            raise CommandError("load_demo_resources runs only with the demo settings.")
        people = demo_people()
        translators = {
            language: people[f"translator-{language}"]
            for language in ("ar", "fr", "es", "zh-hans", "ru")
        }
        resources = demo_resources_load(editor=people["bdt-staff"], translators=translators)
        submissions = demo_practices_load(people)
        call_command("wagtail_update_index", verbosity=0)
        self.stdout.write(
            f"Demo resources: {resources} resources, {submissions} best-practice submissions."
        )
