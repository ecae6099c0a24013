"""The regional view: shared assessments one by one, aggregated ones only as counts by
maturity phase; a cell or a table of fewer than 3 countries is never shown."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from cophub.accounts.models import Role, User
from cophub.strategies.aggregates import suppress
from cophub.strategies.models import Assessment

from .conftest import Api

pytestmark = pytest.mark.django_db


def test_suppress_hides_every_count_below_three_zero_included() -> None:
    assert suppress([5, 2, 0, 3]) == [5, None, None, 3]


@pytest.fixture
def africa(
    make_user: Callable[..., User], make_assessment: Callable[..., Assessment]
) -> dict[str, Assessment]:
    """Four African countries counted (three at phase 2, one at phase 4), one shared with
    BDT only and one private: neither of these two is counted."""
    plan = {
        "KE": ("aggregated", 2), "UG": ("aggregated", 2), "TZ": ("public", 2),
        "RW": ("aggregated", 4), "ET": ("shared_bdt", 4), "GH": ("private", 4),
    }  # fmt: skip
    made = {}
    for country, (level, phase) in plan.items():
        focal = make_user(Role.FOCAL_POINT, username=f"fp-{country.lower()}", country=country)
        made[country] = make_assessment(focal, country, published=level, phase=phase)
    return made


def _table(body: dict[str, Any], group: str, key: str) -> dict[str, Any]:
    return next(t for t in body[group] if t["key"] == key)


def test_counts_by_phase_per_capability_with_small_cells_hidden(
    africa: dict[str, Assessment], api_as: Callable[[User], Api], ro_africa: User
) -> None:
    body = api_as(ro_africa).get("regional").json()
    assert body["region"] == "AFR" and body["year"] == 2025 and body["min_countries"] == 3
    table = _table(body, "by_region", "AFR")
    assert table["shown"] is True
    leadership = next(r for r in table["rows"] if r["capability"] == "leadership")
    # KE, UG, TZ at phase 2 are counted; RW alone at phase 4 is hidden, so are the zeros.
    assert leadership["counts"] == [None, 3, None, None]
    assert len(table["rows"]) == 21


def test_regional_officer_sees_aggregated_assessments_only_as_counts(
    africa: dict[str, Assessment], api_as: Callable[[User], Api], ro_africa: User, bdt_staff: User
) -> None:
    officer = {a["country"] for a in api_as(ro_africa).get("regional").json()["assessments"]}
    assert officer == {"TZ", "ET"}  # public and shared with BDT; never aggregated or private
    bdt = api_as(bdt_staff).get("regional", region="AFR").json()
    assert {a["country"] for a in bdt["assessments"]} == {"KE", "UG", "TZ", "RW", "ET"}
    assert api_as(ro_africa).get(f"assessments/{africa['KE'].pk}").status_code == 404
    assert api_as(bdt_staff).get(f"assessments/{africa['GH'].pk}").status_code == 404


def test_groupings_and_small_tables_are_not_shown(
    africa: dict[str, Assessment], api_as: Callable[[User], Api], bdt_staff: User
) -> None:
    body = api_as(bdt_staff).get("regional").json()
    assert body["region"] is None
    regions = {t["key"]: t for t in body["by_region"]}
    assert regions["AFR"]["shown"] and not regions["AMS"]["shown"]
    assert regions["AMS"]["rows"] == []
    # Of the counted countries, UG and RW are least developed and landlocked, TZ least
    # developed: LDC has 3 countries (shown), LLDC 2 (not shown).
    assert _table(body, "by_grouping", "LDC")["shown"] is True
    assert _table(body, "by_grouping", "LLDC")["shown"] is False


def test_regional_view_is_for_regional_officers_and_bdt(
    africa: dict[str, Assessment],
    api_as: Callable[[User], Api],
    ro_africa: User,
    focal_ke: User,
    signed_in: Callable[[User], Client],
) -> None:
    assert api_as(focal_ke).get("regional").status_code == 403
    assert api_as(ro_africa).get("regional", region="AMS").status_code == 403
    page = signed_in(ro_africa).get("/en/strategies/regional/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Countries by maturity phase" in html and "&lt;3" in html
    assert "Tanzania" in html and "Kenya" not in html.split("Countries by maturity phase")[0]
    assert signed_in(focal_ke).get("/en/strategies/regional/").status_code == 403
