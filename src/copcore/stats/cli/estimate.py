"""``copstats estimate DATA``: weighted proportions, means and totals with design-based SEs."""

from __future__ import annotations

import argparse
from pathlib import Path

from copcore.stats.ci import CI_METHODS
from copcore.stats.cli.command import Command, Subparsers, language_option
from copcore.stats.design import SINGLETON_RULES, Design
from copcore.stats.disclosure import disclosure_apply, disclosure_rule_parse
from copcore.stats.errors import OptionError
from copcore.stats.estimate import Request, estimate
from copcore.stats.formats import FORMATS, format_parse, result_text, result_write
from copcore.stats.io import table_read


def _request_action(kind: str) -> type[argparse.Action]:
    """An argparse action appending a :class:`Request` of ``kind`` (``--prop R1``)."""

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


def add_parser(subparsers: Subparsers) -> None:
    """Add ``estimate`` to the ``copstats`` parser."""
    est = subparsers.add_parser("estimate", help="weighted estimates with design-based SEs")
    est.add_argument("data", type=Path, help="CSV, Parquet, XLSX, SPSS .sav or Stata .dta")
    est.add_argument("--weight")
    est.add_argument("--strata")
    est.add_argument("--psu")
    est.add_argument("--fpc", help="PSU population sizes or sampling fractions per stratum")
    for kind in ("prop", "mean", "total"):
        est.add_argument(f"--{kind}", action=_request_action(kind), metavar="COL", dest="requests")
    est.add_argument("--by", action="append", default=[], metavar="COL[,COL...]")
    est.add_argument("--ci", choices=CI_METHODS, default="logit")
    est.add_argument("--level", type=float, default=0.95)
    est.add_argument("--singleton", choices=SINGLETON_RULES, default="fail")
    est.add_argument("--df", choices=("domain", "design"), default="domain", dest="df_rule")
    est.add_argument("--disclosure", default="none", help="none | min-n:N | dhs | nchs")
    est.add_argument("--format", choices=FORMATS, default="csv", dest="fmt")
    est.add_argument("--out", type=Path)
    language_option(est)
    est.set_defaults(handler=estimate_run, requests=None)


def estimate_run(command: Command) -> int:
    """Read the data, estimate, apply the disclosure rule, write the table."""
    args = command.args
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
        command.stdout(result_text(result, fmt))
    else:
        result_write(result, args.out, fmt)
    return 0
