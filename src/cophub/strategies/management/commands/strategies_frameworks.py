"""``cophub strategies_frameworks load`` (the bundled frameworks, maturity scale, crosswalk);
``… import FILE.json|FILE.csv [--version V]``; ``… export KEY [--version V] --format json|csv``;
``… crosswalk FILE.json`` / ``… crosswalk --export``. All or nothing; errors by path or row."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from cophub.portal.errors import InvalidInput
from cophub.portal.text_policy import json_parse
from cophub.strategies import framework_format as formats
from cophub.strategies.models import Framework


class Command(BaseCommand):
    help = "Load, import or export the self-assessment frameworks and their crosswalk."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("load", help="Load the frameworks shipped in strategies/data/.")
        importing = actions.add_parser("import", help="Import one framework (JSON or CSV).")
        importing.add_argument("file", type=Path)
        importing.add_argument(
            "--version", default=None, help="CSV only: the version the rows become."
        )
        importing.add_argument(
            "--key", default=None, help="CSV only: the framework whose title and source to keep."
        )
        exporting = actions.add_parser("export", help="Write one framework as JSON or CSV.")
        exporting.add_argument("key")
        exporting.add_argument("--version", default=None)
        exporting.add_argument("--format", choices=["json", "csv"], default="json")
        exporting.add_argument("--out", type=Path, default=None)
        crosswalk = actions.add_parser("crosswalk", help="Replace or export the crosswalk.")
        crosswalk.add_argument("file", type=Path, nargs="?")
        crosswalk.add_argument("--export", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except InvalidInput as rejected:
            for error in rejected.details.get("errors", []):
                self.stderr.write(f"{error['field']}: {error['message']}")
            raise CommandError(
                _("Nothing was imported: %(message)s") % {"message": rejected.message}
            ) from rejected

    def _load(self, options: dict[str, Any]) -> None:
        loaded = formats.frameworks_load()
        self.stdout.write(
            _("%(count)s frameworks loaded, with the maturity scale and the crosswalk.")
            % {"count": len(loaded)}
        )

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        text = _read_text(path)
        if path.suffix.lower() == ".csv":
            if not options["key"] or not options["version"]:
                raise CommandError(_("A CSV file needs --key and --version."))
            base = Framework.objects.filter(key=options["key"]).order_by("-version").first()
            if base is None:
                raise CommandError(
                    _("A CSV file holds sections and items only: import %(key)s as JSON first.")
                    % {"key": options["key"]}
                )
            document = formats.framework_document_from_csv(text, base, options["version"])
        else:
            document = _json(text, path)
        framework = formats.framework_import(document)
        self.stdout.write(
            _("Framework %(key)s %(version)s loaded: %(items)s questions.")
            % {"key": framework.key, "version": framework.version, "items": framework.items.count()}
        )

    def _export(self, options: dict[str, Any]) -> None:
        frameworks = Framework.objects.filter(key=options["key"])
        if options["version"]:
            frameworks = frameworks.filter(version=options["version"])
        framework = frameworks.order_by("-version").first()
        if framework is None:
            raise CommandError(_("No framework %(key)s.") % {"key": options["key"]})
        if options["format"] == "csv":
            text = formats.framework_export_csv(framework)
        else:
            text = formats.framework_export_json(framework)
        _write(text, options["out"])

    def _crosswalk(self, options: dict[str, Any]) -> None:
        if options["export"]:
            document = formats.crosswalk_document()
            _write(json.dumps(document, ensure_ascii=False, indent=2) + "\n", None)
            return
        if options["file"] is None:
            raise CommandError(_("Give a crosswalk file, or --export."))
        count = formats.crosswalk_import(_json(_read_text(options["file"]), options["file"]))
        self.stdout.write(_("%(count)s crosswalk links loaded.") % {"count": count})


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as missing:
        raise CommandError(_("No file at %(path)s.") % {"path": path}) from missing
    except UnicodeDecodeError as error:
        raise CommandError(
            _("The file is not UTF-8 text: %(detail)s") % {"detail": error}
        ) from error


def _json(text: str, path: Path) -> Any:
    """The file's JSON under the platform's text policy (nesting, characters, numbers)."""
    try:
        return json_parse(text, source="$")
    except InvalidInput as error:
        problems = [f"{e['field']}: {e['message']}" for e in error.details.get("errors", [])]
        summary = _("%(path)s is not valid JSON: %(detail)s") % {
            "path": path,
            "detail": error.message,
        }
        raise CommandError("\n".join([summary, *problems])) from error


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    temporary = out.with_suffix(out.suffix + ".part")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(out)  # never a half-written file
