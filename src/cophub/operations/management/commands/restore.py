"""``cophub restore DIR``: check a backup whole, then put its database and files back."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cophub.operations.backups import backup_restore
from cophub.portal.errors import CopHubError

from .backup import _format


class Command(BaseCommand):
    help = (
        "Restore a backup made by `cophub backup`: refuses a database or storage that holds "
        "data, a newer schema or a microdata key that cannot read the backup, unless --force."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", type=Path, help="A folder written by `cophub backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace existing data, and restore despite a newer schema or another key.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        try:
            result = backup_restore(directory=directory, force=options["force"])
        except CopHubError as error:
            raise CommandError(_format(error)) from error
        for warning in result.warnings:
            self.stderr.write(warning)
        manifest = result.manifest
        self.stdout.write(
            _(
                "Restored the backup of %(created_at)s (tables: %(tables)s, rows: %(rows)s, "
                "files: %(files)s); row counts and checksums match the manifest."
            )
            % {
                "created_at": manifest.created_at,
                "tables": len(manifest.tables),
                "rows": sum(manifest.tables.values()),
                "files": len(manifest.files),
            }
        )
        if result.pending_migrations:
            self.stdout.write(
                _(
                    "Migrations of this version not yet applied: %(count)s. "
                    "Run `cophub migrate` now."
                )
                % {"count": len(result.pending_migrations)}
            )
