"""``copstats synth``: deterministic, clearly synthetic microdata."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from copcore.stats.cli import main


def test_synth_is_deterministic_and_synthetic(synth_file: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.parquet"
    assert (
        main(["synth", "--rows", "4000", "--countries", "2", "--seed", "5", "--out", str(again)])
        == 0
    )
    first, second = pq.read_table(synth_file), pq.read_table(again)
    assert first.equals(second)
    assert all(first["synthetic"].to_pylist())
    assert set(first["country"].to_pylist()) == {"XA", "XB"}
    assert {"A1", "R9", "C3", "S5", "internet_user", "age", "psu", "stratum"} <= set(
        first.column_names
    )
    ages = first["age"].to_pylist()
    assert min(ages) == 9 and max(ages) == 17
