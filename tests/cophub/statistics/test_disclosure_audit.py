"""The suppression audit before publication, on hand-solved breakdowns: a primary cell that
its line gives away (exactly, or within 10% of its n) gets complementary suppressions at the
check; a table that still fails is refused at publication, naming the cells, and nothing is
published."""

from collections.abc import Callable
from typing import Any

from django.test import Client

from cophub.accounts.models import User
from cophub.statistics.disclosure_audit import cells_audit, cells_audit_protect
from cophub.statistics.engine import Cell
from cophub.statistics.models import Dataset, Estimate, Release

from .conftest import api


def line(*levels: tuple[str, int, str], total: int) -> list[Cell]:
    """One indicator's breakdown ``sex`` with its total; a level's flag says it is suppressed."""
    cells = [Cell("R1", "proportion", "_T", "_T", 0.5, n=total)]
    for value, n, flag in levels:
        cells.append(
            Cell(
                "R1",
                "proportion",
                "sex",
                value,
                None if flag else 0.5,
                n=n,
                suppressed=bool(flag),
                flag=flag,
            )
        )
    return cells


def states(cells: list[Cell]) -> dict[str, tuple[bool, str]]:
    return {c.breakdown_value: (c.suppressed, c.flag) for c in cells}


def test_further_equations_are_audited_like_breakdowns() -> None:
    # sex: a (hidden) + b (hidden) + c = 100, safe alone; age: x + y = 100, nothing hidden.
    # A further equation ties the tables: x = a + c, so 70 - 50 gives a away.
    cells = line(("a", 20, "n<25"), ("b", 30, "complementary"), ("c", 50, ""), total=100)
    cells.append(Cell("R1", "proportion", "age", "x", 0.5, n=70))
    cells.append(Cell("R1", "proportion", "age", "y", 0.5, n=30))
    equation = [4, 1, 3]
    assert cells_audit(cells) == []
    assert [f.breakdown_value for f in cells_audit(cells, equations=[equation])] == ["a"]
    protected = cells_audit_protect(cells, equations=[equation])
    assert cells_audit(protected, equations=[equation]) == []
    assert protected[3].suppressed and protected[3].flag == "audit"  # c, the smaller member


def test_a_primary_cell_given_away_exactly_gets_a_complement() -> None:
    # a + 0 + 50 = 70: a = 20 exactly, the empty level's 0 being no secret.
    cells = line(("a", 20, "n<25"), ("b", 0, "empty"), ("c", 50, ""), total=70)
    assert [(f.breakdown_value, f.status) for f in cells_audit(cells)] == [("a", "exact")]
    protected = cells_audit_protect(cells)
    assert cells_audit(protected) == []
    assert states(protected)["c"] == (True, "audit")
    assert states(protected)["_T"] == (False, "")
    assert next(c for c in protected if c.breakdown_value == "c").estimate is None


def test_a_primary_cell_narrowed_below_the_protection_level_gets_a_complement() -> None:
    # a + b = 21 with a = 20: a in [0, 21], less than 10% above 20. The complement b (n = 1)
    # may be narrow: secondary cells need only not be exact.
    cells = line(("a", 20, "n<25"), ("b", 1, "complementary"), ("c", 100, ""), total=121)
    assert [(f.breakdown_value, f.status) for f in cells_audit(cells)] == [("a", "narrow")]
    protected = cells_audit_protect(cells)
    assert cells_audit(protected) == [] and states(protected)["c"] == (True, "audit")


def test_a_protected_line_is_left_alone() -> None:
    cells = line(("a", 20, "n<25"), ("b", 30, "complementary"), ("c", 100, ""), total=150)
    assert cells_audit(cells) == []
    assert cells_audit_protect(cells) == cells


def test_publication_is_refused_while_the_audit_fails_and_nothing_is_published(
    client: Client,
    checked_survey: Dataset,
    focal_ke: User,
    bdt_staff: User,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    # Un-hide one complement after the check: a primary cell of its line is then exposed.
    primary = Estimate.objects.filter(dataset=checked_survey, flag__startswith="n<").first()
    assert primary is not None
    line_cells = Estimate.objects.filter(
        dataset=checked_survey,
        indicator=primary.indicator,
        statistic=primary.statistic,
        breakdown=primary.breakdown,
    ).exclude(pk=primary.pk)
    line_cells.update(suppressed=False, flag="")
    url = f"/api/v1/statistics/datasets/{checked_survey.pk}"
    focal, bdt = token_for(focal_ke), token_for(bdt_staff)
    assert api(client, "post", f"{url}/submit", focal).status_code == 200
    assert api(client, "post", f"{url}/approve", focal, {"comment": ""}).status_code == 200
    assert api(client, "post", f"{url}/review", bdt, {"comment": ""}).status_code == 200
    refused = api(client, "post", f"{url}/publish", {**focal, "Accept-Language": "fr"})
    assert refused.status_code == 409, refused.content
    body: dict[str, Any] = refused.json()
    assert body["code"] == "invalid_state"
    assert primary.indicator in body["message"] and "audit" in body["message"]
    assert body["message"].startswith("Publication refusée"), body["message"]
    assert not Release.objects.filter(dataset=checked_survey).exists()
    assert Dataset.objects.get(pk=checked_survey.pk).status == Dataset.Status.APPROVED
