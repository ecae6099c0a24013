from typing import Any

from django.core.management.base import BaseCommand

from cophub.reference.services import reference_load


class Command(BaseCommand):
    help = "Load or refresh reference data (countries, regions, groupings, languages, clauses)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = reference_load()
        self.stdout.write(
            f"Loaded {result.countries} countries, {result.regions} regions, "
            f"{result.groupings} groupings, {result.languages} languages, "
            f"{result.clauses} clauses."
        )
