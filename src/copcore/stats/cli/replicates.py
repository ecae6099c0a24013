"""``copstats estimate``'s replicate-weight options: ``--rep-weights PREFIX|A,B,…``,
``--rep-method``, ``--fay``, ``--rep-multiplier`` or ``--rep-multipliers``, ``--rep-center``
and ``--df N``; see :mod:`copcore.stats.replication` for what they mean."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from copcore.stats.design import REP_CENTERS, REP_METHODS, Replicates
from copcore.stats.errors import OptionError
from copcore.stats.io import file_columns
from copcore.stats.replication import replicate_columns_resolve

# Options that mean something only with --rep-weights (argparse dest, option).
_DEPENDENT = (
    ("rep_method", "--rep-method"),
    ("fay", "--fay"),
    ("rep_multiplier", "--rep-multiplier"),
    ("rep_multipliers", "--rep-multipliers"),
    ("rep_center", "--rep-center"),
)


def replicate_options(parser: argparse.ArgumentParser) -> None:
    """Add the replicate-weight options to ``parser``."""
    parser.add_argument(
        "--rep-weights",
        metavar="PREFIX|COL,COL…",
        help="replicate weight columns: PREFIX1 … PREFIXk in numeric order, or a list",
    )
    parser.add_argument("--rep-method", choices=REP_METHODS)
    parser.add_argument("--fay", type=float, metavar="RHO", help="Fay's coefficient, in [0, 1)")
    parser.add_argument(
        "--rep-multiplier", type=float, metavar="M", help="multiplier of every replicate"
    )
    parser.add_argument(
        "--rep-multipliers", metavar="M,M,…", help="one multiplier per replicate (JKn)"
    )
    parser.add_argument(
        "--rep-center",
        choices=REP_CENTERS,
        help="deviations from the full-sample estimate (default) or the replicates' mean",
    )


def _number(option: str, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        allowed = "domain, design, N" if option == "--df" else "numbers"
        raise OptionError("option_invalid", option=option, value=text, allowed=allowed) from None


def replicates_from_args(args: argparse.Namespace) -> Replicates | None:
    """The :class:`Replicates` the options describe (columns not yet resolved), or ``None``
    without ``--rep-weights``; :class:`OptionError` for options that need or exclude others."""
    if args.rep_weights is None:
        for dest, option in _DEPENDENT:
            if getattr(args, dest) is not None:
                raise OptionError("option_needs", option=option, needs="--rep-weights")
        if args.df is not None and args.df not in ("domain", "design"):
            _number("--df", args.df)
            raise OptionError("option_needs", option=f"--df {args.df}", needs="--rep-weights")
        return None
    if args.rep_method is None:
        raise OptionError("option_needs", option="--rep-weights", needs="--rep-method")
    for option, given in (
        ("--singleton", args.singleton is not None),
        ("--psu-unique", args.psu_unique),
        ("--df domain", args.df == "domain"),
    ):
        if given:
            raise OptionError("option_conflict", option=option, other="--rep-weights")
    if args.rep_multiplier is not None and args.rep_multipliers is not None:
        raise OptionError("option_conflict", option="--rep-multiplier", other="--rep-multipliers")
    multipliers: tuple[float, ...] | None = None
    if args.rep_multiplier is not None:
        multipliers = (args.rep_multiplier,)
    elif args.rep_multipliers is not None:
        parts = [p.strip() for p in args.rep_multipliers.split(",") if p.strip()]
        multipliers = tuple(_number("--rep-multipliers", p) for p in parts)
    df: int | None = None
    if args.df not in (None, "design"):
        number = _number("--df", args.df)
        if not number.is_integer() or number < 1:
            raise OptionError("option_invalid", option="--df", value=args.df, allowed="1, 2, …")
        df = int(number)
    columns = tuple(c.strip() for c in args.rep_weights.split(",") if c.strip())
    if not columns:
        raise OptionError(
            "option_invalid", option="--rep-weights", value=args.rep_weights, allowed="PREFIX"
        )
    return Replicates(
        columns=columns,
        method=args.rep_method,
        fay=args.fay if args.fay is not None else 0.0,
        multipliers=multipliers,
        df=df,
        center=args.rep_center or "estimate",
    )


def replicates_resolve(spec: Replicates, data: Path) -> Replicates:
    """``spec`` with its columns resolved against the columns of ``data`` (a prefix becomes
    the numbered columns)."""
    return replace(spec, columns=replicate_columns_resolve(spec.columns, file_columns(data)))
