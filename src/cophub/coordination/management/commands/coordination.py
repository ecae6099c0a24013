"""``cophub coordination load_bodies`` (after ``load_reference``), ``cophub coordination
remind`` (e-mail reminders for liaison-statement replies due within a week, queued for the
task worker; run it daily) and ``cophub coordination summaries`` (rebuild the summaries the
implementation view and the activity feed read, at once: after bulk changes or to repair;
decision 0041)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cophub.coordination.bodies import bodies_load
from cophub.coordination.liaison.reminders import liaison_reminders
from cophub.coordination.reports.summaries import summaries_rebuild


class Command(BaseCommand):
    help = (
        "Coordination: load the bodies, queue reminders of replies due, or rebuild the "
        "summaries of the implementation view and the activity feed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load_bodies", "remind", "summaries"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load_bodies":
            self.stdout.write(f"{bodies_load()} bodies loaded.")
        elif options["action"] == "remind":
            self.stdout.write(f"{liaison_reminders()} reminders queued.")
        else:
            self.stdout.write(f"Summaries rebuilt: {summaries_rebuild()} rows written.")
