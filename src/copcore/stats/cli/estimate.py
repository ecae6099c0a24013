"""``copstats estimate DATA``: weighted proportions, means, totals and ratios with design-based
SEs. ``--ratio NUM/DEN`` (repeatable) is the ratio estimator ``sum w·NUM / sum w·DEN`` over the
rows where both are given.

With ``--dp-epsilon E --dp-ledger L [--dp-weight-cap C] [--dp-budget B]`` the ``--total``
requests of 0/1 or categorical columns are released under differential privacy instead
(weighted with ``--weight`` and its cap, else unweighted counts); ``--dp-levels COL=A,B,…``
lists the levels of categorical columns and ``--by`` columns in advance. ε is recorded in the
ledger before the release file is renamed into place.

With ``--rep-weights PREFIX --rep-method M`` (and ``--fay``, ``--rep-multiplier(s)``,
``--rep-center``, ``--df N``) the SEs come from replicate weights supplied with the data
(:mod:`copcore.stats.cli.replicates`); a private release does not use them (it has no SE).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from copcore.stats.ci import CI_METHODS
from copcore.stats.cli.command import Command, Subparsers, language_option
from copcore.stats.cli.private import dp_check, dp_options, dp_requested, private_release
from copcore.stats.cli.replicates import (
    replicate_options,
    replicates_from_args,
    replicates_resolve,
)
from copcore.stats.design import SINGLETON_RULES, Design
from copcore.stats.disclosure import disclosure_apply, disclosure_rule_parse
from copcore.stats.errors import OptionError
from copcore.stats.estimate import Request, estimate, ratio_request
from copcore.stats.estimate_private import estimate_private
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
            if kind == "ratio":
                requests.append(ratio_request(str(values)))
            else:
                requests.append(Request(kind, str(values)))  # type: ignore[arg-type]
            namespace.requests = requests

    return _Append


def add_parser(subparsers: Subparsers) -> None:
    """Add ``estimate`` to the ``copstats`` parser."""
    est = subparsers.add_parser("estimate", help="weighted estimates with design-based SEs")
    est.add_argument("data", type=Path, help="CSV, Parquet, XLSX, SPSS .sav or Stata .dta")
    est.add_argument("--weight")
    est.add_argument("--strata")
    est.add_argument("--psu", help="PSU column (codes numbered within strata, by default)")
    est.add_argument(
        "--psu-unique",
        action="store_true",
        help="PSU codes identify PSUs on their own: refuse a code found in two strata",
    )
    est.add_argument("--fpc", help="PSU population sizes or sampling fractions per stratum")
    for kind in ("prop", "mean", "total"):
        est.add_argument(f"--{kind}", action=_request_action(kind), metavar="COL", dest="requests")
    est.add_argument(
        "--ratio",
        action=_request_action("ratio"),
        metavar="NUM/DEN",
        dest="requests",
        help="ratio estimator sum(w*NUM)/sum(w*DEN), linearised or replicate SE",
    )
    est.add_argument("--by", action="append", default=[], metavar="COL[,COL...]")
    est.add_argument("--ci", choices=CI_METHODS, default="logit")
    est.add_argument("--level", type=float, default=0.95)
    est.add_argument("--singleton", choices=SINGLETON_RULES)
    est.add_argument(
        "--df",
        metavar="domain|design|N",
        help="Taylor: domain (default) or design; replicate weights: N (default R - 1)",
    )
    replicate_options(est)
    est.add_argument("--disclosure", default="none", help="none | min-n:N | dhs | nchs")
    est.add_argument("--format", choices=FORMATS, default="csv", dest="fmt")
    est.add_argument("--out", type=Path)
    dp_options(est)
    est.add_argument(
        "--dp-levels",
        action="append",
        metavar="COL=LEVEL,LEVEL…",
        help="levels of a categorical or --by column, listed in advance (with --dp-*)",
    )
    language_option(est)
    est.set_defaults(handler=estimate_run, requests=None)


def estimate_run(command: Command) -> int:
    """Read the data, estimate, apply the disclosure rule, write the table."""
    args = command.args
    requests: list[Request] = list(args.requests or [])
    if not requests:
        raise OptionError(
            "option_invalid", option="--prop/--mean/--total/--ratio", value="", allowed="COL"
        )
    if dp_requested(args):
        return estimate_private_run(command, requests)
    fmt = format_parse(args.fmt)
    rule = disclosure_rule_parse(args.disclosure)
    if fmt == "parquet" and args.out is None:
        raise OptionError("option_invalid", option="--out", value="", allowed="FILE")
    by = _by(args)
    replicates = replicates_from_args(args)
    if replicates is not None:
        replicates = replicates_resolve(replicates, args.data)
    design = Design(
        weight=args.weight,
        strata=args.strata,
        psu=args.psu,
        fpc=args.fpc,
        psu_unique=args.psu_unique,
        replicates=replicates,
    )
    wanted = {c for r in requests for c in r.columns} | {c for group in by for c in group}
    wanted |= {c for c in (args.weight, args.strata, args.psu, args.fpc) if c}
    wanted |= set(replicates.columns if replicates is not None else ())
    table = table_read(args.data, columns=sorted(wanted))
    result = estimate(
        table,
        design,
        requests,
        by=by,
        ci=args.ci,
        level=args.level,
        singleton=args.singleton or "fail",
        df_rule="design" if args.df == "design" else "domain",
    )
    result = disclosure_apply(result, rule)
    if args.out is None:
        command.stdout(result_text(result, fmt))
    else:
        result_write(result, args.out, fmt)
    return 0


def _by(args: argparse.Namespace) -> list[tuple[str, ...]]:
    return [tuple(part.strip() for part in item.split(",") if part.strip()) for item in args.by]


def levels_parse(items: list[str] | None) -> dict[str, tuple[str, ...]]:
    """``--dp-levels COL=A,B,…`` options as ``{COL: (A, B, …)}``."""
    levels: dict[str, tuple[str, ...]] = {}
    for item in items or []:
        name, equals, listed = item.partition("=")
        values = tuple(v.strip() for v in listed.split(",") if v.strip())
        if not (equals and name.strip() and values) or name.strip() in levels:
            raise OptionError(
                "option_invalid", option="--dp-levels", value=item, allowed="COL=LEVEL,LEVEL…"
            )
        levels[name.strip()] = values
    return levels


def estimate_private_run(command: Command, requests: list[Request]) -> int:
    """Totals under differential privacy: checked against the ledger's budget, recorded in
    the ledger once the release file is complete, then renamed into place."""
    args = command.args
    dp_check(args, weight_cap=args.weight is not None)
    format_parse(args.fmt)
    levels = levels_parse(args.dp_levels)
    by = _by(args)
    wanted = {r.variable for r in requests} | {c for group in by for c in group}
    wanted |= {args.weight} if args.weight else set()
    table = table_read(args.data, columns=sorted(wanted))
    private_release(
        args,
        lambda: estimate_private(
            table,
            requests,
            by,
            weight=args.weight,
            levels=levels,
            epsilon=args.dp_epsilon,
            weight_cap=args.dp_weight_cap,
        ),
        f"copstats estimate {args.data.name}",
    )
    return 0
