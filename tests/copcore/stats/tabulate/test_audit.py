"""A tabulation audits its own suppressions: the single year of age that line-by-line
complementary suppression leaves open through a published age band is protected by more
suppression, and the metadata reports the audit."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from copcore.stats.audit import cells_audit
from copcore.stats.framework import framework_default
from copcore.stats.tabulate import tabulate
from copcore.stats.tabulate.audit import AUDIT_VALUE, _relations, tabulation_audit
from copcore.stats.tabulate.disclosure import tabulation_disclose
from tests.copcore.stats.tabulate.synth_survey import synth, synth_mapping

# One indicator: the total, single years 10–13 and the EU Kids Online 2020 bands 9–11, 12–14.
CELLS = [
    ("_T", "_T", 50.0, 100),
    ("age", "10", 5.0, 10),  # n < 12: suppressed
    ("age", "11", 20.0, 40),
    ("age", "12", 8.0, 15),  # the smallest other n of the age line: its complement
    ("age", "13", 17.0, 35),
    ("age_eko2020", "9-11", 25.0, 50),
    ("age_eko2020", "12-14", 25.0, 50),
]


def _table() -> dict[str, NDArray[Any]]:
    size = len(CELLS)
    values = np.asarray([c[2] for c in CELLS])
    n = np.asarray([c[3] for c in CELLS], dtype=np.int64)
    return {
        "country": np.full(size, "XA", dtype=object),
        "indicator": np.full(size, "R1", dtype=object),
        "statistic": np.full(size, "proportion", dtype=object),
        "breakdown": np.asarray([c[0] for c in CELLS], dtype=object),
        "breakdown_value": np.asarray([c[1] for c in CELLS], dtype=object),
        "estimate": values / n,
        "se": np.full(size, 0.01),
        "ci_low": np.zeros(size),
        "ci_high": np.ones(size),
        "deff": np.ones(size),
        "df": np.full(size, 30, dtype=np.int64),
        "n": n,
        "suppressed": np.zeros(size, dtype=np.bool_),
        "flag": np.full(size, "", dtype=object),
        AUDIT_VALUE: values,
    }


def _audit(columns: dict[str, NDArray[Any]]) -> list[tuple[int, float, float, str]]:
    framework = framework_default()
    ranges = {b.id: None for b in framework.breakdowns if b.variable == "age" and not b.bands}
    ranges.update(
        {
            b.id: {b.label_of(band): band for band in b.bands}
            for b in framework.breakdowns
            if b.variable == "age" and b.bands
        }
    )
    index = np.arange(len(CELLS), dtype=np.int64)
    relations = _relations(columns, index, ranges)  # type: ignore[arg-type]
    published = np.where(columns["suppressed"], np.nan, columns[AUDIT_VALUE])
    return cells_audit(published, relations, protection=0.1, original=columns[AUDIT_VALUE])


def test_line_by_line_suppression_leaves_a_cell_open_and_the_audit_closes_it() -> None:
    disclosed = tabulation_disclose(_table(), "min-n:12", 0.95)
    assert list(disclosed["flag"]) == ["", "n<12", "", "complementary", "", "", ""]
    # Year 10 = band 9–11 − year 11, both published: recovered exactly (5).
    before = {cell: (low, high, status) for cell, low, high, status in _audit(disclosed)}
    assert before[1] == (pytest.approx(5.0), pytest.approx(5.0), "exact")
    audited, report = tabulation_audit(disclosed, framework_default(), 0.1)
    assert report.added >= 1 and report.unprotected == 0
    assert report.metadata()["audit_protection"] == "0.1"
    assert all(status == "protected" for *_, status in _audit(audited))
    added = np.flatnonzero(audited["flag"] == "audit")
    assert len(added) == report.added
    assert np.isnan(audited["estimate"][added]).all() and audited["suppressed"][added].all()
    assert audited["n"].tolist() == disclosed["n"].tolist()


def test_tabulate_reports_the_audit_in_its_metadata() -> None:
    plain = tabulate(synth(), synth_mapping(), framework_default(), disclosure="min-n:150")
    assert "audit_protection" not in plain.metadata
    audited = tabulate(
        synth(), synth_mapping(), framework_default(), disclosure="min-n:150", protection=0.1
    )
    meta = audited.metadata
    assert meta["audit_protection"] == "0.1" and int(meta["audit_suppressed_cells"]) > 0
    assert int(meta["audit_unprotected"]) == 0
    flags = list(audited.columns["flag"])
    assert flags.count("audit") == int(meta["audit_added"])
    assert "_numerator_total" not in audited.columns
