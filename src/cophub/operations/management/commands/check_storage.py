"""``cophub check_storage [--repair]``: files without a row and rows without a file."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from cophub.operations.storage_check import storage_check


class Command(BaseCommand):
    help = (
        "List the stored files no row names and the rows whose file is gone; with --repair, "
        "delete such files older than an hour and put such rows' objects in their missing "
        "state. Exits with status 1 while problems remain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repair", action="store_true", help="Fix what the rules allow.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = storage_check(repair=options["repair"])
        for orphan in report.orphans:
            if orphan.deleted:
                line = _("File without a row, deleted: %(name)s")
            elif orphan.recent:
                line = _(
                    "File without a row, younger than an hour (an upload in progress?): %(name)s"
                )
            else:
                line = _("File without a row: %(name)s")
            self.stdout.write(line % {"name": orphan.name})
        for missing in report.missing:
            line = (
                _("Row without its file, repaired: %(row)s #%(pk)s (%(name)s)")
                if missing.repaired
                else _("Row without its file: %(row)s #%(pk)s (%(name)s)")
            )
            self.stdout.write(line % {"row": missing.label, "pk": missing.pk, "name": missing.name})
        self.stdout.write(
            _(
                "Stored files: %(files)s; rows naming a file: %(rows)s; files without a row: "
                "%(orphans)s; rows without their file: %(missing)s; problems left: %(problems)s."
            )
            % {
                "files": report.files,
                "rows": report.rows,
                "orphans": len(report.orphans),
                "missing": len(report.missing),
                "problems": report.problems,
            }
        )
        if report.problems:
            raise SystemExit(1)
