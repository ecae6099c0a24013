"""The implementation page: the operative clauses, and their progress set by BDT staff."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from cophub.accounts.models import User
from cophub.coordination.models import (
    ClauseProgress,
)
from cophub.reference.selectors import operative_clauses

pytestmark = pytest.mark.django_db


def _html(response: Any) -> str:
    return str(response.content.decode())


def test_implementation_lists_the_operative_clauses(client: Client) -> None:
    page = _html(client.get("/en/coordination/implementation/"))
    assert len(re.findall(r'<tr id="clause-', page)) == len(operative_clauses())
    assert '<th scope="row">BDT-9</th>' in page


def test_bdt_staff_set_clause_progress_on_the_implementation_page(
    client: Client,
    signed_in: Callable[[User], Client],
    bdt_staff: User,
    chair: User,
) -> None:
    url = "/en/coordination/implementation/BDT-9/"
    form = {
        "clause-BDT-9-status": "on_track",
        "clause-BDT-9-progress": "60",
        "clause-BDT-9-timeline": "By WTDC-25",
        "clause-BDT-9-note": "Three regional workshops held.",
    }
    assert 'name="clause-BDT-9-progress"' not in _html(
        client.get("/en/coordination/implementation/")
    )
    assert signed_in(chair).post(url, form).status_code == 403
    assert not ClauseProgress.objects.exists()

    staff = signed_in(bdt_staff)
    too_much = staff.post(url, {**form, "clause-BDT-9-progress": "150"})
    assert too_much.status_code == 200
    row = next(r for r in too_much.context["rows"] if r["clause"] == "BDT-9")
    assert dict(row["form"].errors) == {"progress": ["Give a percentage from 0 to 100."]}
    assert not ClauseProgress.objects.exists()

    done = staff.post(url, form, follow=True)
    assert done.redirect_chain[-1][0] == "/en/coordination/implementation/#clause-BDT-9"
    assert "Your changes have been saved." in _html(done)
    record = ClauseProgress.objects.get(clause_id="BDT-9")
    assert (record.status, record.progress, record.timeline) == ("on_track", 60, "By WTDC-25")
    assert record.note == "Three regional workshops held."
    page = _html(client.get("/en/coordination/implementation/"))
    assert "By WTDC-25" in page and "60 %" in page
