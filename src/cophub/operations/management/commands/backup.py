"""``cophub backup DIR``: the database, the stored files and a manifest, into a new folder."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.operations.backups import backup_create
from cophub.portal.errors import CopHubError


class Command(BaseCommand):
    help = "Back up the database and the stored files (uploads, encrypted microdata) into DIR."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", type=Path, help="A new or empty folder.")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        try:
            manifest = backup_create(directory=directory, now=timezone.now())
        except CopHubError as error:
            raise CommandError(_format(error)) from error
        self.stdout.write(
            _(
                "Backup written to %(path)s (tables: %(tables)s, rows: %(rows)s, "
                "files: %(files)s). Keep MICRODATA_KEY (or SECRET_KEY when it is unset) with "
                "it: without the key the encrypted microdata cannot be read."
            )
            % {
                "path": directory,
                "tables": len(manifest.tables),
                "rows": sum(manifest.tables.values()),
                "files": len(manifest.files),
            }
        )


def _format(error: CopHubError) -> str:
    """The translated message, and the tool's own words when a PostgreSQL client failed."""
    message = str(error.message)
    if "error" in error.details:
        message += f"\n{error.details.get('program', '')}: {error.details['error']}"
    return message
