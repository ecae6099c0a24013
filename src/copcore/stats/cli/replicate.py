"""``copstats replicate DATA --weight W --strata S --psu P --method jk1|jkn|brr|bootstrap
[--reps N] [--seed S] [--fay RHO] [--prefix P] --out FILE``: the data with replicate weight
columns ``P1 … PR`` added (:mod:`copcore.stats.replicate_create`), written atomically as
CSV or Parquet. Prints the ``copstats estimate`` options that use them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from copcore.stats.cli.command import Command, Subparsers, language_option
from copcore.stats.columns import table_from_arrow
from copcore.stats.design import Design
from copcore.stats.errors import FileError, InputError
from copcore.stats.formats import atomic_write
from copcore.stats.io import arrow_read, file_kind
from copcore.stats.messages import message_format
from copcore.stats.replicate_create import CREATE_METHODS, CreatedReplicates, replicates_create


def add_parser(subparsers: Subparsers) -> None:
    """Add ``replicate`` to the ``copstats`` parser."""
    rep = subparsers.add_parser("replicate", help="add replicate weights made from the design")
    rep.add_argument("data", type=Path, help="CSV, Parquet, XLSX, SPSS .sav or Stata .dta")
    rep.add_argument("--weight", required=True)
    rep.add_argument("--strata")
    rep.add_argument("--psu", required=True, help="PSU column (codes numbered within strata)")
    rep.add_argument("--method", choices=CREATE_METHODS, required=True)
    rep.add_argument("--reps", type=int, help="bootstrap: replicates (500); BRR: Hadamard order")
    rep.add_argument("--seed", type=int, help="bootstrap: seed of the random draws")
    rep.add_argument("--fay", type=float, default=0.0, metavar="RHO", help="BRR: Fay's ρ")
    rep.add_argument("--prefix", default="repw_", help="names of the new columns (repw_1 …)")
    rep.add_argument("--out", type=Path, required=True, help="output file (.csv or .parquet)")
    language_option(rep)
    rep.set_defaults(handler=replicate_run)


def replicate_run(command: Command) -> int:
    """Read the data, make the replicates, write the data with them, print how to use them."""
    args = command.args
    out: Path = args.out
    kind = file_kind(out)
    if kind not in (".csv", ".parquet"):
        raise FileError("file_type_unknown", path=str(out), extension=out.suffix or "(none)")
    arrow = arrow_read(args.data)
    design = Design(weight=args.weight, strata=args.strata, psu=args.psu)
    names = [f"{args.prefix}{r}" for r in (1, 2)]
    for name in names:
        if name in arrow.column_names:
            raise InputError("replicate_column_exists", column=name, option="--prefix")
    created = replicates_create(
        table_from_arrow(arrow.select([c for c in (args.weight, args.strata, args.psu) if c])),
        design,
        args.method,
        reps=args.reps,
        seed=args.seed,
        fay=args.fay,
    )
    new = [f"{args.prefix}{r + 1}" for r in range(created.count)]
    for name in new:
        if name in arrow.column_names:
            raise InputError("replicate_column_exists", column=name, option="--prefix")
    for r, name in enumerate(new):
        arrow = arrow.append_column(name, pa.array(created.weights[:, r], type=pa.float64()))
    if kind == ".parquet":
        atomic_write(out, lambda target: pq.write_table(arrow, target))
    else:
        atomic_write(out, lambda target: pacsv.write_csv(arrow, target))
    options = estimate_options(args.weight, args.prefix, created, args.strata, args.psu)
    command.stdout(
        message_format(
            "replicate_written",
            {
                "replicates": created.count,
                "prefix": args.prefix,
                "path": str(out),
                "options": options,
            },
            command.lang,
        )
        + "\n"
    )
    return 0


def estimate_options(
    weight: str, prefix: str, created: CreatedReplicates, strata: str | None, psu: str
) -> str:
    """The ``copstats estimate`` options that use the replicates as made."""
    parts = [f"--weight {weight}", f"--rep-weights {prefix}", f"--rep-method {created.method}"]
    if created.method == "fay":
        parts.append(f"--fay {created.fay:g}")
    if created.method == "jkn":
        distinct = np.unique(created.multipliers)
        if len(distinct) == 1:
            parts.append(f"--rep-multiplier {float(distinct[0])!r}")
        else:
            parts.append(f"--strata {strata} --psu {psu}")
    parts.append(f"--df {created.df}")
    return " ".join(parts)
