"""``cophub helplines import FILE.json`` / ``cophub helplines export --format json|csv|hsds``
/ ``cophub helplines numbers FILE.json``."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cophub.helplines import services
from cophub.helplines.directory_csv import csv_import
from cophub.helplines.directory_export import CHUNKS
from cophub.helplines.directory_hsds import hsds_import, is_hsds
from cophub.helplines.directory_stream import helplines_streamed
from cophub.helplines.verification import services as verification
from cophub.helplines.verification.contacts_csv import contacts_import
from cophub.portal.errors import InvalidInput
from cophub.portal.text_policy import json_parse


class Command(BaseCommand):
    help = "Import or export the helpline directory (format cophub.helplines/1) and numbers."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser(
            "import",
            help="Load a cophub.helplines/1 or HSDS 3.0 file (.json), or the CSV template.",
        )
        importing.add_argument("file", type=Path)
        importing.add_argument(
            "--kind", default="child_helpline", help="HSDS only: the kind of every service"
        )
        importing.add_argument(
            "--source-url", default=None, help="HSDS only: where services without a url come from"
        )
        exporting = actions.add_parser("export", help="Write the directory.")
        exporting.add_argument("--format", choices=sorted(CHUNKS), default="json")
        exporting.add_argument("--country", default=None)
        exporting.add_argument("--out", type=Path, default=None)
        numbers = actions.add_parser("numbers", help="Load a cophub.numbers/1 registry file.")
        numbers.add_argument("file", type=Path)
        contacts = actions.add_parser(
            "contacts", help="Load verification contacts (CSV: helpline, email, language)."
        )
        contacts.add_argument("file", type=Path)
        campaign = actions.add_parser("campaign", help="Verification campaigns.")
        campaign.add_argument("step", choices=["start", "remind"])
        campaign.add_argument("--region", default=None, help="start: an ITU-D region code")
        campaign.add_argument("--remind-after-days", type=int, default=14)
        campaign.add_argument("--link-days", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self._export(options)
            return
        try:
            if options["action"] == "campaign":
                self.stdout.write(campaign_step(options))
                return
            path: Path = options["file"]
            if options["action"] == "contacts":
                count = contacts_import(_read_text(path))
                self.stdout.write(
                    ngettext("%(count)s contact loaded.", "%(count)s contacts loaded.", count)
                    % {"count": count}
                )
            elif options["action"] == "import":
                if path.suffix.lower() == ".csv":
                    result = csv_import(_read_text(path))
                else:
                    document = _read(path)
                    if is_hsds(document):
                        result = hsds_import(
                            document, kind=options["kind"], source_url=options["source_url"]
                        )
                    else:
                        result = services.helplines_import(document)
                created = ngettext(
                    "%(count)s helpline created", "%(count)s helplines created", result.created
                ) % {"count": result.created}
                updated = ngettext(
                    "%(count)s helpline updated", "%(count)s helplines updated", result.updated
                ) % {"count": result.updated}
                self.stdout.write(f"{created}; {updated}.")
            else:
                count = services.numbers_import(_read(path))
                self.stdout.write(
                    ngettext("%(count)s number loaded.", "%(count)s numbers loaded.", count)
                    % {"count": count}
                )
        except InvalidInput as rejected:
            for error in rejected.details.get("errors", []):
                if "row" in error:
                    where = _("row %(row)s, column %(column)s") % error
                    self.stderr.write(f"{where}: {error['message']}")
                else:
                    self.stderr.write(f"{error['field']}: {error['message']}")
            raise CommandError(
                _("Nothing was imported: %(message)s") % {"message": rejected.message}
            ) from rejected

    def _export(self, options: dict[str, Any]) -> None:
        chunks = CHUNKS[options["format"]](helplines_streamed(options["country"]))
        if options["out"] is None:
            for chunk in chunks:
                sys.stdout.write(chunk)
            return
        temporary = options["out"].with_suffix(options["out"].suffix + ".part")
        with temporary.open("w", encoding="utf-8") as out:
            for chunk in chunks:
                out.write(chunk)
        temporary.replace(options["out"])  # never a half-written file


def _read_text(path: Path) -> str:
    """A CSV file's text (UTF-8, with or without a byte order mark)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as missing:
        raise CommandError(_("No file at %(path)s.") % {"path": path}) from missing
    except UnicodeDecodeError as undecodable:
        raise CommandError(_("%(path)s is not UTF-8 text.") % {"path": path}) from undecodable


def _read(path: Path) -> Any:
    """The file's JSON under the platform's text policy (nesting, characters, numbers)."""
    try:
        return json_parse(path.read_bytes(), source="$")
    except FileNotFoundError as missing:
        raise CommandError(_("No file at %(path)s.") % {"path": path}) from missing


def campaign_step(options: dict[str, Any]) -> str:
    """``campaign start``: e-mail every verification contact (of ``--region``); ``campaign
    remind`` (daily): remind the contacts who did not answer."""
    if options["step"] == "start":
        campaign = verification.campaign_start(
            user=None,
            region=options["region"],
            remind_after_days=options["remind_after_days"],
            link_days=options["link_days"],
        )
        count = campaign.requests.count()
        return ngettext(
            "Campaign %(number)s started: %(count)s e-mail queued.",
            "Campaign %(number)s started: %(count)s e-mails queued.",
            count,
        ) % {"number": campaign.pk, "count": count}
    count = verification.reminders_send()
    return ngettext("%(count)s reminder queued.", "%(count)s reminders queued.", count) % {
        "count": count
    }
