"""``copstats weight``: the data written back with a calibrated weight (and replicates), a
report of the fit and of the adjustment factors; refusals name what is wrong, translated, and
leave no output file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from copcore.stats.cli import main

MARGINS = """variable,category,total
sex,female,540000
sex,male,560000
country,XA,500000
country,XB,600000
"""


def _margins(tmp_path: Path, text: str = MARGINS) -> Path:
    path = tmp_path / "margins.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _sums(table: pa.Table, by: str, weight: str) -> dict[str, float]:
    grouped = table.group_by(by).aggregate([(weight, "sum")]).to_pylist()
    return {str(row[by]): row[f"{weight}_sum"] for row in grouped}


def test_rake_writes_the_calibrated_weight_and_reports(
    synth_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "weighted.parquet"
    args = ["weight", str(synth_file), "--weight", "weight", "--method", "rake"]
    assert main([*args, "--margins", str(_margins(tmp_path)), "--out", str(out)]) == 0
    table = pq.read_table(out)
    assert table.column_names == [*pq.read_table(synth_file).column_names, "calwt"]
    assert _sums(table, "sex", "calwt") == pytest.approx({"female": 540000, "male": 560000})
    assert _sums(table, "country", "calwt") == pytest.approx({"XA": 500000, "XB": 600000})
    report = capsys.readouterr().out
    assert "rake" in report and "calwt" in report and "median" in report and "1+CV²" in report


def test_replicate_weights_are_adjusted_and_written_as_name_1_to_r(
    synth_file: Path, tmp_path: Path
) -> None:
    source = pq.read_table(synth_file)
    rng = np.random.default_rng(1)
    weight = source["weight"].to_numpy()
    for r in (2, 10, 1, 3, 4, 5, 6, 7, 8, 9):  # numeric order, not text or column order
        source = source.append_column(
            f"rep_{r}", pa.array(weight * rng.uniform(0.5, 1.5, len(weight)))
        )
    data = tmp_path / "reps.csv"
    pacsv.write_csv(source, data)
    out = tmp_path / "out.csv"
    status = main(
        ["weight", str(data), "--weight", "weight", "--method", "linear", "--name", "cw",
         "--rep-weights", "rep_", "--margins", str(_margins(tmp_path)), "--out", str(out)]
    )  # fmt: skip
    assert status == 0
    table = pacsv.read_csv(out)
    assert [c for c in table.column_names if c.startswith("cw")] == ["cw"] + [
        f"cw{i}" for i in range(1, 11)
    ]
    for name in ("cw", "cw1", "cw2", "cw10"):
        assert _sums(table, "country", name) == pytest.approx({"XA": 500000, "XB": 600000})
    # Linear calibration on sex and country dummies multiplies each weight by a factor that is
    # constant within a sex × country cell: cw10 / rep_10 is (numeric order), cw3 / rep_2 not.
    cells = pc.binary_join_element_wise(table["sex"], table["country"], "|").to_numpy(
        zero_copy_only=False
    )

    def constant_in_cells(ratio: np.ndarray) -> bool:
        return all(np.ptp(ratio[cells == cell]) < 1e-9 for cell in set(cells))

    assert constant_in_cells(pc.divide(table["cw10"], table["rep_10"]).to_numpy())
    assert constant_in_cells(pc.divide(table["cw1"], table["rep_1"]).to_numpy())
    assert not constant_in_cells(pc.divide(table["cw3"], table["rep_2"]).to_numpy())


@pytest.mark.parametrize(
    ("margins", "extra", "expected"),
    [
        (MARGINS.replace("XB", "XC"), [], ["XB", "XC", "country"]),
        ("variable,total\nsex,3\n", [], ["category"]),
        (MARGINS + "sex,female,1\n", [], ["6", "sex"]),
        (MARGINS.replace("540000", "lots"), [], ["2"]),
        (MARGINS, ["--name", "weight"], ["weight", "--name"]),
        (MARGINS, ["--rep-weights", "brr_"], ["brr_"]),
    ],
)
def test_refusals_name_the_problem_and_leave_no_file(
    synth_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    margins: str,
    extra: list[str],
    expected: list[str],
) -> None:
    out = tmp_path / "never.parquet"
    args = ["weight", str(synth_file), "--weight", "weight", "--method", "rake", *extra]
    assert main([*args, "--margins", str(_margins(tmp_path, margins)), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert all(part in error for part in expected), error
    assert not out.exists() and list(tmp_path.glob("*.part")) == []


def test_messages_are_translated(
    synth_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "never.parquet"
    margins = _margins(tmp_path, MARGINS.replace("XB", "XC"))
    args = ["weight", str(synth_file), "--weight", "weight", "--method", "rake", "--lang", "fr"]
    assert main([*args, "--margins", str(margins), "--out", str(out)]) == 2
    assert "seulement dans les marges : XC" in capsys.readouterr().err


def test_trim_alone_keeps_the_total_and_caps(
    synth_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "trimmed.csv"
    args = ["weight", str(synth_file), "--weight", "weight", "--trim", "max=1.5*median"]
    assert main([*args, "--out", str(out)]) == 0
    table = pacsv.read_csv(out)
    weight = table["weight"].to_numpy()
    trimmed = table["trimwt"].to_numpy()
    cap = 1.5 * float(np.median(weight[weight > 0]))
    assert trimmed.max() == pytest.approx(cap, rel=1e-12)
    assert trimmed.sum() == pytest.approx(weight.sum(), rel=1e-12)
    report = capsys.readouterr().out
    assert f"{cap:.6g}" in report and "total kept" in report
    both = tmp_path / "both.csv"
    assert (
        main([*args[:-1], "max=3*median,min=0.5*median", "--name", "tw", "--out", str(both)]) == 0
    )
    bounded = pacsv.read_csv(both)["tw"].to_numpy()
    median = float(np.median(weight[weight > 0]))
    assert bounded.min() >= 0.5 * median * (1 - 1e-12) and bounded.max() <= 3 * median * (1 + 1e-12)
    assert bounded.sum() == pytest.approx(weight.sum(), rel=1e-12)


def test_trim_then_rake_meets_the_margins(
    synth_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "weighted.parquet"
    args = ["weight", str(synth_file), "--weight", "weight", "--method", "rake"]
    args += ["--trim", "max=p95", "--margins", str(_margins(tmp_path)), "--out", str(out)]
    assert main(args) == 0
    table = pq.read_table(out)
    assert _sums(table, "sex", "calwt") == pytest.approx({"female": 540000, "male": 560000})
    report = capsys.readouterr().out
    assert "total kept" in report and "rake" in report


@pytest.mark.parametrize(
    ("extra", "lang", "expected"),
    [
        (["--trim", "max=0.01*median"], "fr", "une borne que le poids moyen respecte"),
        (["--trim", "max=3*sd"], "en", "max=K*median"),
        ([], "es", "--trim"),
        (["--trim", "max=9", "--margins", "m.csv"], "en", "--method"),
    ],
)
def test_trim_refusals(
    synth_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    lang: str,
    expected: str,
) -> None:
    out = tmp_path / "never.csv"
    args = ["weight", str(synth_file), "--weight", "weight", *extra, "--lang", lang]
    assert main([*args, "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert expected in error, error
    assert list(tmp_path.iterdir()) == []


def test_csv_output_is_byte_for_byte_pyarrows_single_write(
    synth_file: Path, tmp_path: Path
) -> None:
    """The output CSV is written in two halves at once; its bytes are those of one
    ``write_csv`` of the data with the new column (odd row count: halves of unequal size)."""
    source = pq.read_table(synth_file)
    source = source.slice(0, source.num_rows - (1 - source.num_rows % 2))
    data = tmp_path / "odd.parquet"
    pq.write_table(source, data)
    out = tmp_path / "out.csv"
    args = ["weight", str(data), "--weight", "weight", "--method", "rake"]
    assert main([*args, "--margins", str(_margins(tmp_path)), "--out", str(out)]) == 0
    written = pacsv.read_csv(out)
    expected = tmp_path / "expected.csv"
    pacsv.write_csv(source.append_column("calwt", written["calwt"]), expected)
    assert source.num_rows % 2 == 1
    assert out.read_bytes() == expected.read_bytes()


def test_the_command_imports_none_of_what_it_does_not_use(synth_file: Path, tmp_path: Path) -> None:
    """Raking from Parquet to Parquet imports neither SciPy nor the other commands' libraries
    (OpenDP, jsonschema) nor pyarrow's compute and dataset layers: their imports cost a
    command seconds (decision 0037)."""
    heavy = ["scipy", "opendp", "jsonschema", "pyarrow.compute", "pyarrow.dataset"]
    code = (
        "import json, sys\n"
        "from copcore.stats.cli import main\n"
        "status = main(sys.argv[2:])\n"
        "print(json.dumps([status, [m for m in json.loads(sys.argv[1]) if m in sys.modules]]))"
    )
    args = ["weight", str(synth_file), "--weight", "weight", "--method", "rake"]
    args += ["--margins", str(_margins(tmp_path)), "--out", str(tmp_path / "out.parquet")]
    completed = subprocess.run(
        [sys.executable, "-c", code, json.dumps(heavy), *args],
        check=True,
        capture_output=True,
        text=True,
    )
    assert json.loads(completed.stdout.strip().splitlines()[-1]) == [0, []]
