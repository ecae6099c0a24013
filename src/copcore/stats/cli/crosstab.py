"""``copstats crosstab DATA --row A --column B``: a weighted two-way table with design-based
standard errors and the Rao–Scott tests of independence (first and second order)."""

from __future__ import annotations

import json
from pathlib import Path

from copcore.stats.association import RaoScott, rao_scott
from copcore.stats.cli.command import Command, Subparsers, language_option
from copcore.stats.design import SINGLETON_RULES, Design
from copcore.stats.io import table_read
from copcore.stats.messages import message_format


def add_parser(subparsers: Subparsers) -> None:
    """Add ``crosstab`` to the ``copstats`` parser."""
    cmd = subparsers.add_parser(
        "crosstab", help="two-way table with design-based SEs and Rao–Scott tests"
    )
    cmd.add_argument("data", type=Path, help="CSV, Parquet, XLSX, SPSS .sav or Stata .dta")
    cmd.add_argument("--row", required=True, help="the row variable")
    cmd.add_argument("--column", required=True, help="the column variable")
    cmd.add_argument("--weight")
    cmd.add_argument("--strata")
    cmd.add_argument("--psu", help="PSU column (codes numbered within strata, by default)")
    cmd.add_argument("--psu-unique", action="store_true")
    cmd.add_argument("--fpc")
    cmd.add_argument("--singleton", choices=SINGLETON_RULES, default="fail")
    cmd.add_argument("--test", choices=("rao-scott",), default="rao-scott")
    cmd.add_argument("--format", choices=("text", "json"), default="text", dest="fmt")
    language_option(cmd)
    cmd.set_defaults(handler=crosstab_run)


def crosstab_run(command: Command) -> int:
    args = command.args
    design = Design(args.weight, args.strata, args.psu, args.fpc, psu_unique=args.psu_unique)
    wanted = [c for c in (args.row, args.column, args.weight, args.strata, args.psu, args.fpc) if c]
    table = table_read(args.data, columns=list(dict.fromkeys(wanted)))
    result = rao_scott(table, design, args.row, args.column, args.singleton)
    if args.fmt == "json":
        command.stdout(json.dumps(result_record(result, args.row, args.column), indent=1) + "\n")
    else:
        command.stdout(result_lines(result, args.row, args.column, command.lang))
    return 0


def result_record(result: RaoScott, row: str, column: str) -> dict[str, object]:
    """The table and its tests as plain data (the ``json`` format)."""
    return {
        "row": row,
        "column": column,
        "n": result.n,
        "design_df": result.design_df,
        "cells": [
            {
                row: level,
                column: other,
                "proportion": float(result.proportions[i, j]),
                "se": float(result.standard_errors[i, j]),
            }
            for i, level in enumerate(result.rows)
            for j, other in enumerate(result.columns)
        ],
        "pearson": result.pearson,
        "rao_scott_chisq": {"value": result.chisq, "df": result.chisq_df, "p": result.chisq_p},
        "rao_scott_f": {
            "value": result.f,
            "df_num": result.df_num,
            "df_den": result.df_den,
            "p": result.f_p,
        },
    }


def result_lines(result: RaoScott, row: str, column: str, lang: str) -> str:
    """The table (proportion of the total, SE in brackets) and the tests, translated."""
    width = max(len(label) for label in (*result.rows, row)) + 2
    lines = [
        message_format(
            "crosstab_header",
            {"row": row, "column": column, "n": result.n, "df": result.design_df},
            lang,
        ),
        " " * width + "".join(f"{label:>20}" for label in result.columns),
    ]
    for i, label in enumerate(result.rows):
        cells = "".join(
            f"{f'{result.proportions[i, j]:.4f} ({result.standard_errors[i, j]:.4f})':>20}"
            for j in range(len(result.columns))
        )
        lines.append(f"{label:<{width}}{cells}")
    lines.append(
        message_format(
            "crosstab_tests",
            {
                "pearson": f"{result.pearson:.4f}",
                "chisq": f"{result.chisq:.4f}",
                "chisq_df": result.chisq_df,
                "chisq_p": f"{result.chisq_p:.4g}",
                "f": f"{result.f:.4f}",
                "df_num": f"{result.df_num:.3f}",
                "df_den": f"{result.df_den:.3f}",
                "f_p": f"{result.f_p:.4g}",
            },
            lang,
        )
    )
    return "\n".join(lines) + "\n"
