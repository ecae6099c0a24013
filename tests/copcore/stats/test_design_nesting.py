"""PSUs numbered within strata (nhanes2, DHS): identified by (stratum, PSU) by default, as Stata
and R's ``svydesign(nest = TRUE)`` do; ``psu_unique`` keeps codes that stand on their own."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from copcore.stats import Design, Request, estimate
from copcore.stats.cli import main
from copcore.stats.errors import DesignError
from tests.copcore.stats.svy_peer import svy_rows
from tests.copcore.stats.test_estimate_vs_svy import survey_table

REQUESTS = [Request("prop", "item"), Request("mean", "score"), Request("total", "score")]


def _within_strata(table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The same survey with PSUs renumbered 1, 2, … inside each stratum."""
    psu = np.empty(len(table["psu"]))
    for stratum in np.unique(table["stratum"]):
        rows = table["stratum"] == stratum
        _levels, codes = np.unique(table["psu"][rows], return_inverse=True)
        psu[rows] = codes + 1
    return {**table, "psu": psu}


def _numbers(result) -> np.ndarray:  # type: ignore[no-untyped-def]
    return np.column_stack([result.columns[c] for c in ("estimate", "se", "df", "deff")])


@pytest.mark.parametrize("fpc", [None, "npop"])
def test_numbered_within_strata_gives_the_numbers_of_unique_codes(fpc: str | None) -> None:
    unique = survey_table(11, missing=True)
    nested = _within_strata(unique)
    assert len(np.unique(nested["psu"])) < len(np.unique(unique["psu"]))  # codes repeat
    design = Design(weight="wt", strata="stratum", psu="psu", fpc=fpc)
    by = [("region",)]
    expected = estimate(unique, Design(**{**design.__dict__, "psu_unique": True}), REQUESTS, by)
    found = estimate(nested, design, REQUESTS, by)
    np.testing.assert_array_equal(_numbers(found), _numbers(expected))
    assert (found.metadata["psu_nesting"], expected.metadata["psu_nesting"]) == (
        "nested",
        "unique",
    )
    assert found.metadata["variance"] == "taylor"


def test_nested_codes_equal_svy() -> None:
    table = _within_strata(survey_table(12))
    result = estimate(table, Design(weight="wt", strata="stratum", psu="psu"), REQUESTS[1:2])
    peer = svy_rows(
        table,
        weight="wt",
        strata="stratum",
        psu="psu",
        fpc=None,
        statistic="mean",
        variable="score",
        by=None,
    )
    (row,) = peer.values()
    assert result.columns["estimate"][0] == pytest.approx(row["est"], rel=1e-9)
    assert result.columns["se"][0] == pytest.approx(row["se"], rel=1e-9)
    assert int(result.columns["df"][0]) == row["df"]


def test_unique_codes_refuse_a_code_in_two_strata() -> None:
    table = _within_strata(survey_table(13))
    design = Design(weight="wt", strata="stratum", psu="psu", psu_unique=True)
    with pytest.raises(DesignError) as caught:
        estimate(table, design, REQUESTS)
    assert caught.value.code == "psu_in_two_strata"


def test_without_a_psu_column_each_row_is_its_own_psu() -> None:
    result = estimate(survey_table(14), Design(weight="wt", strata="stratum"), REQUESTS)
    assert result.metadata["psu_nesting"] == "none"


def test_command_line_nests_by_default_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _within_strata(survey_table(15))
    path = tmp_path / "survey.csv"
    names = list(table)
    lines = [",".join(names)] + [
        ",".join(str(table[name][i]) for name in names) for i in range(len(table["psu"]))
    ]
    path.write_text("\n".join(lines) + "\n")
    design = ["--weight", "wt", "--strata", "stratum", "--psu", "psu", "--mean", "score"]
    assert main(["estimate", str(path), *design, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["metadata"]["psu_nesting"] == "nested"
    assert main(["estimate", str(path), *design, "--psu-unique", "--lang", "en"]) != 0
    assert "appears in two strata" in capsys.readouterr().err
