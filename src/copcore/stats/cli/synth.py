"""``copstats synth``: clearly synthetic child-survey microdata, as Parquet."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from copcore.stats.cli.command import Command, Subparsers, language_option
from copcore.stats.errors import FileError
from copcore.stats.formats import atomic_write
from copcore.stats.synth import synth_generate


def add_parser(subparsers: Subparsers) -> None:
    """Add ``synth`` to the ``copstats`` parser."""
    syn = subparsers.add_parser("synth", help="synthetic child-survey microdata (Parquet)")
    syn.add_argument("--rows", type=int, required=True)
    syn.add_argument("--countries", type=int, default=1)
    syn.add_argument("--seed", type=int, required=True)
    syn.add_argument("--strata", type=int, help="total strata (default 20 per country)")
    syn.add_argument("--psus", type=int, help="total PSUs (default 10 per stratum)")
    syn.add_argument("--out", type=Path, required=True)
    language_option(syn)
    syn.set_defaults(handler=synth_run)


def synth_run(command: Command) -> int:
    """Generate the rows from the seed and write them atomically."""
    args = command.args
    out: Path = args.out
    if out.suffix.lower() not in (".parquet", ".pq"):
        raise FileError("file_type_unknown", path=str(out), extension=out.suffix or "(none)")
    table = synth_generate(
        args.rows,
        args.countries,
        np.random.default_rng(args.seed),
        strata=args.strata,
        psus=args.psus,
    )
    atomic_write(out, lambda target: pq.write_table(table, target))
    return 0
