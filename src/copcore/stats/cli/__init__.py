"""The ``copstats`` command: ``estimate``, ``replicate``, ``synth``, ``tabulate``, ``validate``,
``framework``, ``weight``, ``crosstab``, ``audit``.

Errors print one translated line on stderr (and, for data that do not fit their mapping, the
validation report) and exit with status 2; no traceback, no partial output file. Language:
``--lang``, else ``COPSTATS_LANG``, else ``LANG``, else English, resolved once here from the
environment :func:`main` is given.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping, Sequence

from copcore.stats.cli.command import EXIT_ERROR, Command, Parser, subparser_of
from copcore.stats.errors import StatsError
from copcore.stats.messages import LANGUAGES, language_resolve, message_format, message_render

# Each command's module, in the order of ``copstats --help``. A command's module is imported
# only when that command runs (or the whole list is needed): their imports (SciPy, OpenDP,
# jsonschema) cost seconds to a command that needs none of them.
COMMANDS = {
    "estimate": "copcore.stats.cli.estimate",
    "replicate": "copcore.stats.cli.replicate",
    "synth": "copcore.stats.cli.synth",
    "tabulate": "copcore.stats.cli.tabulate",
    "validate": "copcore.stats.cli.validate",
    "framework": "copcore.stats.cli.framework",
    "weight": "copcore.stats.cli.weight",
    "crosstab": "copcore.stats.cli.crosstab",
    "audit": "copcore.stats.cli.audit",
}

__all__ = ["main", "parser_build"]


def parser_build(only: str | None = None) -> Parser:
    """The argument parser of ``copstats`` (with the one command ``only`` when given)."""
    parser = Parser(prog="copstats", description="Design-based survey statistics for COP.")
    parser.add_argument("--lang", choices=LANGUAGES, help="language of messages")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for name, module in COMMANDS.items():
        if only is None or name == only:
            importlib.import_module(module).add_parser(subparsers)
    return parser


def _command_hint(argv: Sequence[str]) -> str | None:
    """The command named by raw arguments when nothing but ``--lang`` comes before it (else
    None: the whole parser is built, for the help or for the error)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("--lang="):
            return arg if arg in COMMANDS else None
    return None


def _language_hint(argv: Sequence[str]) -> str | None:
    """``--lang`` read from raw arguments, for errors raised before parsing succeeds."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(
    argv: Sequence[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Entry point of ``copstats``; returns the exit status.

    ``environ`` (default: the process environment) is where ``COPSTATS_LANG`` and ``LANG``
    are read, here and nowhere else.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    env = os.environ if environ is None else environ
    lang = language_resolve(_language_hint(arguments), env)
    try:
        parser = parser_build(_command_hint(arguments))
        args, extras = parser.parse_known_args(arguments)
        if extras:
            (subparser_of(parser, getattr(args, "command", None)) or parser).unknown_options(extras)
        lang = language_resolve(getattr(args, "sub_lang", None) or args.lang, env)
        status: int = args.handler(Command(args=args, lang=lang, stdout=sys.stdout.write))
        return status
    except StatsError as error:
        sys.stderr.write(message_render(error, lang) + "\n")
        from copcore.stats.mapping import MappingInvalid

        if isinstance(error, MappingInvalid):
            from copcore.stats.cli.validate import report_text

            sys.stderr.write(report_text(error.report, lang))
        return EXIT_ERROR
    except MemoryError:
        message = message_format("out_of_memory", {}, lang)
        sys.stderr.write(message_format("error_prefix", {"message": message}, lang) + "\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
