"""``cophub coordination load_bodies`` (after ``load_reference``) and ``cophub coordination
remind`` (e-mail reminders for liaison-statement replies due within a week, queued for the
task worker; run it daily)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cophub.coordination.bodies import bodies_load
from cophub.coordination.liaison.reminders import liaison_reminders


class Command(BaseCommand):
    help = "Coordination: load the bodies, or queue reminders of replies due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load_bodies", "remind"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load_bodies":
            self.stdout.write(f"{bodies_load()} bodies loaded.")
        else:
            self.stdout.write(f"{liaison_reminders()} reminders queued.")
