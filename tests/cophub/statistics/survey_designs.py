"""Survey files with the designs statistics offices ship: PSU codes numbered within strata
(as nhanes2 and DHS do) and replicate weights (the BRR and jackknife weights of Stata's
``nhanes2brr`` and ``nhanes2jk``, from ``tests/copcore/stats/data``, on ``copstats synth``
answers), and the ``copstats tabulate`` CLI run on the same file as the reference."""

import csv
import io
import json
import os
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from cophub.statistics.engine import synthetic_survey

DATA = Path(__file__).resolve().parents[2] / "copcore" / "stats" / "data"
SRC = Path(__file__).resolve().parents[3] / "src"


def _csv(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pacsv.write_csv(table.drop_columns(["synthetic"]), buffer)
    return buffer.getvalue()


@cache
def nested_psu_csv() -> bytes:
    """The synthetic survey with its PSUs renumbered 1, 2, … within each stratum, so the same
    code appears in many strata."""
    table = synthetic_survey(600, 5)
    strata = table["stratum"].to_numpy()
    psus = table["psu"].to_numpy()
    nested = np.zeros(len(psus), dtype=np.int64)
    for stratum in np.unique(strata):
        rows = strata == stratum
        _levels, codes = np.unique(psus[rows], return_inverse=True)
        nested[rows] = codes + 1
    assert len(np.unique(nested)) < len(np.unique(psus))
    table = table.set_column(table.schema.get_field_index("psu"), "psu", pa.array(nested))
    return _csv(table)


@cache
def replicate_csv(name: str) -> bytes:
    """``nhanes2brr_subset`` (``brr_1 … brr_32``) or ``nhanes2jk_subset`` (``jkw_1 …
    jkw_62``): its full-sample weight and replicate weights beside synthetic answers."""
    with (DATA / f"{name}_subset.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    table = synthetic_survey(len(rows), 7).drop_columns(["stratum", "psu", "weight"])
    names = [n for n in rows[0] if n not in ("height", "weight")]
    for column in names:
        table = table.append_column(column, pa.array([float(r[column]) for r in rows]))
    return _csv(table)


def copstats_tabulate(content: bytes, mapping: dict[str, Any], disclosure: str) -> list[dict]:
    """``copstats tabulate`` (this worktree's engine, its own process) on the same file."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "survey.csv"
        data.write_bytes(content)
        spec = Path(folder) / "mapping.json"
        spec.write_text(json.dumps(mapping), encoding="utf-8")
        out = Path(folder) / "out.csv"
        command = [sys.executable, "-m", "copcore.stats.cli", "tabulate", str(data)]
        command += ["--mapping", str(spec), "--disclosure", disclosure, "--ci", "logit"]
        command += ["--format", "csv", "--out", str(out)]
        environment = {**os.environ, "PYTHONPATH": str(SRC)}
        subprocess.run(command, check=True, env=environment, capture_output=True)
        with out.open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
