"""What ``tabulate`` and ``validate`` read: the framework, the mapping and the survey data
named on the command line, and the options that name them."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from copcore.stats.cli.command import language_option
from copcore.stats.framework import DEFAULT_FRAMEWORK, Framework, framework_load
from copcore.stats.io import file_columns, table_read
from copcore.stats.mapping import SurveyMapping
from copcore.stats.replication import replicate_columns_resolve


def survey_options(parser: argparse.ArgumentParser) -> None:
    """``DATA --mapping M [--country CC] [--framework F] [--lang L]``."""
    parser.add_argument("data", type=Path, help="CSV, Parquet, XLSX, SPSS .sav or Stata .dta")
    parser.add_argument("--mapping", type=Path, required=True, help="mapping file (YAML/JSON)")
    parser.add_argument("--country", help="only this country of a pooled file; its label")
    framework_option(parser)
    language_option(parser)


def framework_option(parser: argparse.ArgumentParser) -> None:
    """``--framework F`` (default: the bundled cop-core framework)."""
    parser.add_argument("--framework", type=Path, help="framework file (default: cop-core 2026)")


def framework_of(args: argparse.Namespace) -> Framework:
    """The framework named by ``--framework``, or the bundled one."""
    return framework_load(args.framework or DEFAULT_FRAMEWORK)


def survey_read(args: argparse.Namespace, mapping: SurveyMapping) -> dict[str, Any]:
    """The columns of DATA that ``mapping`` reads (its items, design and country column)."""
    wanted = [item.source for spec in mapping.variables for item in spec.items]
    design = mapping.design
    wanted += [c for c in (design.weight, design.strata, design.psu, design.fpc) if c]
    if mapping.survey.country_column:
        wanted.append(mapping.survey.country_column)
    if design.replicates is not None:
        wanted += replicate_columns_resolve(design.replicates.columns, file_columns(args.data))
    return table_read(args.data, columns=sorted(set(wanted)))
