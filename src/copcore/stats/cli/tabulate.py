"""``copstats tabulate DATA --mapping M``: every indicator × breakdown of a framework.

With ``--dp-epsilon E --dp-weight-cap C --dp-ledger L [--dp-budget B]`` the proportions are
released under differential privacy instead, and ε is recorded in the ledger before the
release file is renamed into place.

With a disclosure rule and ``--protection P`` (e.g. 0.1) the suppressions are audited and
more cells suppressed until each is protected (:mod:`copcore.stats.tabulate.audit`); the
metadata reports the audit.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from copcore.stats.ci import CI_METHODS
from copcore.stats.cli.command import Command, Subparsers
from copcore.stats.cli.private import dp_check, dp_options, dp_requested, private_release
from copcore.stats.cli.survey_files import framework_of, survey_options, survey_read
from copcore.stats.design import SINGLETON_RULES
from copcore.stats.errors import OptionError
from copcore.stats.formats import FORMATS, format_parse, result_text, result_write
from copcore.stats.mapping import mapping_load
from copcore.stats.tabulate import (
    TabulateOptions,
    survey_countries,
    tabulate,
    tabulate_private,
)


def add_parser(subparsers: Subparsers) -> None:
    """Add ``tabulate`` to the ``copstats`` parser."""
    tab = subparsers.add_parser("tabulate", help="every indicator × breakdown of a framework")
    survey_options(tab)
    tab.add_argument("--disclosure", default="none", help="none | min-n:N | dhs | nchs")
    tab.add_argument(
        "--protection",
        type=float,
        metavar="P",
        help="audit the suppressions, adding cells until none can be derived within P×value",
    )
    tab.add_argument("--format", choices=FORMATS, default="csv", dest="fmt")
    tab.add_argument("--out", type=Path)
    tab.add_argument("--ci", choices=CI_METHODS, default="logit")
    tab.add_argument("--level", type=float, default=0.95)
    tab.add_argument("--singleton", choices=SINGLETON_RULES, default="fail")
    tab.add_argument("--tier", type=int, help="1: the short first tier only")
    tab.add_argument("--indicators", help="comma-separated indicator ids (default: all)")
    dp_options(tab)
    tab.set_defaults(handler=tabulate_run)


def _options(args: argparse.Namespace) -> TabulateOptions:
    chosen = tuple(i.strip() for i in (args.indicators or "").split(",") if i.strip())
    return TabulateOptions(
        country=args.country,
        ci=args.ci,
        level=args.level,
        singleton=args.singleton,
        tier=args.tier,
        indicators=chosen,
    )


def tabulate_run(command: Command) -> int:
    """Validate, tabulate, apply the disclosure rule, write the table (or a private release)."""
    args = command.args
    fmt = format_parse(args.fmt)
    if fmt == "parquet" and args.out is None:
        raise OptionError("option_invalid", option="--out", value="", allowed="FILE")
    if dp_requested(args):
        return tabulate_private_run(command)
    framework = framework_of(args)
    mapping = mapping_load(args.mapping)
    table = survey_read(args, mapping)
    tabulation = tabulate(
        table,
        mapping,
        framework,
        _options(args),
        disclosure=args.disclosure,
        protection=args.protection,
    )
    if args.out is None:
        command.stdout(result_text(tabulation, fmt))
    else:
        result_write(tabulation, args.out, fmt)
    return 0


def tabulate_private_run(command: Command) -> int:
    """A differentially private release: checked against the ledger's budget, recorded in the
    ledger once the release file is complete, then renamed into place."""
    args = command.args
    dp_check(args, weight_cap=True)
    framework = framework_of(args)
    mapping = mapping_load(args.mapping)
    table = survey_read(args, mapping)
    survey_countries(table, mapping, args.country)  # fail on a bad --country before spending
    private_release(
        args,
        lambda: tabulate_private(
            table,
            mapping,
            framework,
            _options(args),
            epsilon=args.dp_epsilon,
            weight_cap=args.dp_weight_cap,
        ),
        f"copstats tabulate {args.data.name}",
    )
    return 0
