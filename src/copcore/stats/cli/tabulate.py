"""``copstats tabulate DATA --mapping M``: every indicator × breakdown of a framework.

With ``--dp-epsilon E --dp-weight-cap C --dp-ledger L [--dp-budget B]`` the proportions are
released under differential privacy instead, and ε is recorded in the ledger before the
release file is renamed into place.
"""

from __future__ import annotations

import argparse
import hashlib
from datetime import UTC, datetime
from pathlib import Path

from copcore.stats.ci import CI_METHODS
from copcore.stats.cli.command import Command, Subparsers, option_required
from copcore.stats.cli.survey_files import framework_of, survey_options, survey_read
from copcore.stats.design import SINGLETON_RULES
from copcore.stats.errors import FileError, OptionError
from copcore.stats.formats import FORMATS, format_parse, result_text, result_write
from copcore.stats.mapping import mapping_load
from copcore.stats.privacy import ledger_charge, ledger_lock, ledger_read, ledger_write
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
    tab.add_argument("--format", choices=FORMATS, default="csv", dest="fmt")
    tab.add_argument("--out", type=Path)
    tab.add_argument("--ci", choices=CI_METHODS, default="logit")
    tab.add_argument("--level", type=float, default=0.95)
    tab.add_argument("--singleton", choices=SINGLETON_RULES, default="fail")
    tab.add_argument("--tier", type=int, help="1: the short first tier only")
    tab.add_argument("--indicators", help="comma-separated indicator ids (default: all)")
    tab.add_argument("--dp-epsilon", type=float, help="release under ε-differential privacy")
    tab.add_argument("--dp-weight-cap", type=float, help="weights are capped at this value")
    tab.add_argument("--dp-ledger", type=Path, help="privacy ledger file (JSON)")
    tab.add_argument("--dp-budget", type=float, help="ε budget of a dataset new to the ledger")
    tab.add_argument("--dp-dataset", help="dataset id in the ledger (default: SHA-256 of DATA)")
    tab.add_argument("--dp-description", help="note recorded with the release")
    tab.set_defaults(handler=tabulate_run)


def dataset_id(path: Path) -> str:
    """A dataset's identity for the privacy ledger: SHA-256 of the file's bytes."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        raise FileError("file_unreadable", path=str(path), reason=str(error)) from error
    return f"sha256:{digest.hexdigest()}"


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
    if any(v is not None for v in (args.dp_epsilon, args.dp_weight_cap, args.dp_ledger)):
        return tabulate_private_run(command)
    framework = framework_of(args)
    mapping = mapping_load(args.mapping)
    table = survey_read(args, mapping)
    tabulation = tabulate(table, mapping, framework, _options(args), disclosure=args.disclosure)
    if args.out is None:
        command.stdout(result_text(tabulation, fmt))
    else:
        result_write(tabulation, args.out, fmt)
    return 0


def tabulate_private_run(command: Command) -> int:
    """A differentially private release: checked against the ledger's budget, recorded in the
    ledger once the release file is complete, then renamed into place."""
    args = command.args
    option_required("--dp-epsilon", args.dp_epsilon, "a value")
    option_required("--dp-weight-cap", args.dp_weight_cap, "a value")
    option_required("--dp-ledger", args.dp_ledger, "a value")
    if args.disclosure != "none":
        raise OptionError(
            "option_invalid",
            option="--disclosure",
            value=args.disclosure,
            allowed="none (with --dp-*)",
        )
    option_required("--out", args.out, "FILE (with --dp-*)")
    framework = framework_of(args)
    mapping = mapping_load(args.mapping)
    table = survey_read(args, mapping)
    survey_countries(table, mapping, args.country)  # fail on a bad --country before spending
    dataset = args.dp_dataset or dataset_id(args.data)
    with ledger_lock(args.dp_ledger):
        ledger = ledger_read(args.dp_ledger)
        tabulation, calibration = tabulate_private(
            table,
            mapping,
            framework,
            _options(args),
            epsilon=args.dp_epsilon,
            weight_cap=args.dp_weight_cap,
        )
        charged = ledger_charge(
            ledger,
            dataset=dataset,
            calibration=calibration,
            budget=args.dp_budget,
            now=datetime.now(UTC),
            description=args.dp_description or f"copstats tabulate {args.data.name}",
        )
        # ε is never spent unrecorded: the ledger is on disk before the release is in place.
        result_write(
            tabulation,
            args.out,
            format_parse(args.fmt),
            before_rename=lambda: ledger_write(charged, args.dp_ledger),
        )
    return 0
