"""The ``copstats`` command: ``estimate`` and ``synth`` (plus the framework's subcommands).

Errors print one translated line on stderr and exit with status 2; no traceback, no partial
output file. Language: ``--lang``, else ``COPSTATS_LANG``, else ``LANG``, else English.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from copcore.stats.ci import CI_METHODS
from copcore.stats.design import SINGLETON_RULES, Design
from copcore.stats.disclosure import disclosure_apply, disclosure_rule_parse
from copcore.stats.errors import OptionError, StatsError
from copcore.stats.estimate import Request, estimate
from copcore.stats.formats import FORMATS, format_parse, result_text, result_write
from copcore.stats.io import table_read
from copcore.stats.messages import LANGUAGES, language_resolve, message_render
from copcore.stats.synth import synth_generate

EXIT_ERROR = 2


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors are translated too."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise OptionError("option_invalid", option="arguments", value=message, allowed="--help")


def _add_request(kind: str) -> type[argparse.Action]:
    class _Append(argparse.Action):
        def __call__(
            self,
            parser: argparse.ArgumentParser,
            namespace: argparse.Namespace,
            values: object,
            option_string: str | None = None,
        ) -> None:
            requests = list(getattr(namespace, "requests", None) or [])
            requests.append(Request(kind, str(values)))  # type: ignore[arg-type]
            namespace.requests = requests

    return _Append


def parser_build() -> argparse.ArgumentParser:
    """The argument parser of ``copstats``."""
    parser = _Parser(prog="copstats", description="Design-based survey statistics for COP.")
    parser.add_argument("--lang", choices=LANGUAGES, help="language of messages")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    est = subparsers.add_parser("estimate", help="weighted estimates with design-based SEs")
    est.add_argument("data", type=Path, help="CSV, Parquet, XLSX, SPSS .sav or Stata .dta")
    est.add_argument("--weight")
    est.add_argument("--strata")
    est.add_argument("--psu")
    est.add_argument("--fpc", help="PSU population sizes or sampling fractions per stratum")
    for kind in ("prop", "mean", "total"):
        est.add_argument(f"--{kind}", action=_add_request(kind), metavar="COL", dest="requests")
    est.add_argument("--by", action="append", default=[], metavar="COL[,COL...]")
    est.add_argument("--ci", choices=CI_METHODS, default="logit")
    est.add_argument("--level", type=float, default=0.95)
    est.add_argument("--singleton", choices=SINGLETON_RULES, default="fail")
    est.add_argument("--df", choices=("domain", "design"), default="domain", dest="df_rule")
    est.add_argument("--disclosure", default="none", help="none | min-n:N | dhs | nchs")
    est.add_argument("--format", choices=FORMATS, default="csv", dest="fmt")
    est.add_argument("--out", type=Path)
    est.add_argument("--lang", choices=LANGUAGES, dest="sub_lang", help="language of messages")
    est.set_defaults(handler=_estimate_run, requests=None)

    syn = subparsers.add_parser("synth", help="synthetic child-survey microdata (Parquet)")
    syn.add_argument("--rows", type=int, required=True)
    syn.add_argument("--countries", type=int, default=1)
    syn.add_argument("--seed", type=int, required=True)
    syn.add_argument("--strata", type=int, help="total strata (default 20 per country)")
    syn.add_argument("--psus", type=int, help="total PSUs (default 10 per stratum)")
    syn.add_argument("--out", type=Path, required=True)
    syn.add_argument("--lang", choices=LANGUAGES, dest="sub_lang", help="language of messages")
    syn.set_defaults(handler=_synth_run)

    _framework_subcommands(subparsers)
    return parser


def _framework_subcommands(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Let ``copcore.stats.cli_framework`` add ``tabulate``, ``validate``, ``framework``."""
    try:
        module = importlib.import_module("copcore.stats.cli_framework")
    except ModuleNotFoundError as error:
        if error.name != "copcore.stats.cli_framework":
            raise
        return
    add: Callable[..., None] | None = getattr(module, "add_subcommands", None)
    if add is not None:
        add(subparsers)


def _estimate_run(args: argparse.Namespace, stdout: Callable[[str], None]) -> int:
    requests: list[Request] = list(args.requests or [])
    if not requests:
        raise OptionError("option_invalid", option="--prop/--mean/--total", value="", allowed="COL")
    fmt = format_parse(args.fmt)
    rule = disclosure_rule_parse(args.disclosure)
    if fmt == "parquet" and args.out is None:
        raise OptionError("option_invalid", option="--out", value="", allowed="FILE")
    by = [tuple(part.strip() for part in item.split(",") if part.strip()) for item in args.by]
    design = Design(weight=args.weight, strata=args.strata, psu=args.psu, fpc=args.fpc)
    wanted = {r.variable for r in requests} | {c for group in by for c in group}
    wanted |= {c for c in (args.weight, args.strata, args.psu, args.fpc) if c}
    table = table_read(args.data, columns=sorted(wanted))
    result = estimate(
        table,
        design,
        requests,
        by=by,
        ci=args.ci,
        level=args.level,
        singleton=args.singleton,
        df_rule=args.df_rule,
    )
    result = disclosure_apply(result, rule)
    if args.out is None:
        stdout(result_text(result, fmt))
    else:
        result_write(result, args.out, fmt)
    return 0


def _synth_run(args: argparse.Namespace, stdout: Callable[[str], None]) -> int:
    import pyarrow.parquet as pq

    from copcore.stats.errors import FileError

    table = synth_generate(
        args.rows,
        args.countries,
        np.random.default_rng(args.seed),
        strata=args.strata,
        psus=args.psus,
    )
    out: Path = args.out
    if out.suffix.lower() not in (".parquet", ".pq"):
        raise FileError("file_type_unknown", path=str(out), extension=out.suffix or "(none)")
    temporary = out.with_name(f".{out.name}.part")
    try:
        pq.write_table(table, temporary)
        os.replace(temporary, out)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise FileError("output_unwritable", path=str(out), reason=str(error)) from error
    return 0


def _language_hint(argv: Sequence[str]) -> str | None:
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
    """Entry point of ``copstats``; returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    env = os.environ if environ is None else environ
    lang = language_resolve(_language_hint(arguments), env)
    try:
        args = parser_build().parse_args(arguments)
        lang = language_resolve(getattr(args, "sub_lang", None) or args.lang, env)
        status: int = args.handler(args, sys.stdout.write)
        return status
    except StatsError as error:
        sys.stderr.write(message_render(error, lang) + "\n")
        return EXIT_ERROR
    except MemoryError:
        sys.stderr.write("copstats: out of memory\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
