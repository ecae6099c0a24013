"""Action plans from gaps, dated progress, the draft strategy in DOCX and PDF in the six
languages (read back with python-docx and WeasyPrint's laid-out document), and assistance."""

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from cophub.accounts.models import Organisation, User
from cophub.portal.records import Period
from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.strategies import plans, selectors
from cophub.strategies.exports import render_pdf_document, strategy_draft
from cophub.strategies.models import Action, ActionPlan, Assessment

from .conftest import LINK, Api

pytestmark = pytest.mark.django_db
ARABIC_AREA = "الحوكمة والجهة الرائدة"  # an area title, from the framework data


@pytest.fixture
def plan(
    focal_ke: User, make_assessment: Callable[..., Assessment], api_as: Callable[[User], Api]
) -> ActionPlan:
    kenya = make_assessment(focal_ke, "KE", published="shared_bdt")
    created = api_as(focal_ke).post(f"assessments/{kenya.pk}/plan", {"from_gaps": True})
    assert created.status_code == 201, created.content
    return ActionPlan.objects.get(assessment=kenya)


@pytest.fixture
def short_plan(focal_ke: User, make_assessment: Callable[..., Assessment]) -> ActionPlan:
    """A plan of three actions (exports read like a long one; they run faster)."""
    kenya = make_assessment(focal_ke, "KE", published="shared_bdt")
    plan = plans.plan_open(assessment=kenya, user=focal_ke, from_gaps=False)
    for key in ["governance.strategy", "law-enforcement.unit", "reporting.hotline"]:
        plans.action_create(
            plan=plan,
            data=plans.ActionInput(
                title=f"Close the gap: {key}",
                owner_id=focal_ke.organisation_id,
                gap_item_key=key,
                clause_ids=["MS-1"],
                partners=["UNICEF"],
            ),
        )
    return plan


def test_each_gap_becomes_an_action_tagged_to_items_and_clauses(plan: ActionPlan) -> None:
    gaps = plan.actions.all()
    # Every Yes/No/Partial question was answered Partial and every maturity phase 2.
    items = plan.assessment.framework.items.filter(kind__in=["yes_no_partial", "maturity"])
    assert gaps.count() == items.filter(required=True).count()
    strategy = gaps.get(gap_item__key="governance.strategy")
    assert list(strategy.clauses.values_list("id", flat=True)) == ["BDT-5", "MS-1"]
    assert strategy.owner.name == "Organisation of focal-ke"
    leadership = gaps.get(gap_item__key="governance.leadership")
    assert leadership.target_maturity == 4


def test_actions_are_validated_and_progress_is_dated(
    plan: ActionPlan, api_as: Callable[[User], Api], focal_ke: User, focal_br: User
) -> None:
    api = api_as(focal_ke)
    path = f"assessments/{plan.assessment_id}/plan/actions"
    foreign = Organisation.objects.create(name="Brazilian NGO", kind="ngo", country_id="BR")
    bad = {
        "title": "Unit", "owner": foreign.pk, "starts_on": "2026-01-01", "ends_on": "2025-01-01",
        "budget_amount": "100", "currency": "", "target_maturity": 7, "clauses": ["MS-99"],
        "items": ["nope"],
    }  # fmt: skip
    response = api.post(path, bad)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["details"]["errors"]}
    assert fields == {"owner", "ends_on", "currency", "target_maturity", "clauses", "items"}
    good = {
        **bad, "owner": focal_ke.organisation_id, "ends_on": "2026-12-31", "currency": "usd",
        "target_maturity": 3, "clauses": ["MS-1", "BDT-5"], "items": ["law-enforcement.unit"],
        "partners": ["INTERPOL"], "indicators": "12 officers trained",
    }  # fmt: skip
    created = api.post(path, good)
    assert created.status_code == 201, created.content
    action = created.json()
    assert action["currency"] == "USD" and action["clauses"] == ["BDT-5", "MS-1"]
    update = api.post(
        f"{path}/{action['id']}/updates",
        {"on": "2025-06-30", "text": "Terms of reference agreed", "status": "in_progress"},
    )
    assert update.status_code == 201
    assert Action.objects.get(pk=action["id"]).status == "in_progress"
    listed = api.get(f"assessments/{plan.assessment_id}/plan").json()["actions"]
    mine = next(a for a in listed if a["id"] == action["id"])
    assert mine["updates"][0]["text"] == "Terms of reference agreed"
    future = api.post(
        f"{path}/{action['id']}/updates", {"on": "2999-01-01", "text": "x", "status": "done"}
    )
    assert future.status_code == 422
    assert api_as(focal_br).post(path, good).status_code == 404


def _docx_text(content: bytes) -> Iterator[Any]:
    yield from Document(io.BytesIO(content)).paragraphs


def test_docx_draft_strategy_in_english_has_areas_actions_and_evidence(
    plan: ActionPlan, api_as: Callable[[User], Api], focal_ke: User
) -> None:
    response = api_as(focal_ke).get(
        f"assessments/{plan.assessment_id}/plan/export", format="docx", lang="en"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-KE-2025-en.docx"')
    paragraphs = list(_docx_text(response.content))
    texts = [p.text for p in paragraphs]
    assert texts[0].startswith("Draft national child online protection strategy: Kenya")
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["Governance and lead agency", "Legal framework"]
    assert "Evidence" in headings
    assert any(LINK["title"] in t for t in texts)
    assert any(t.startswith("Owner: ") for t in texts)


def test_docx_in_arabic_is_right_to_left(short_plan: ActionPlan) -> None:
    from cophub.strategies.exports import render_docx

    paragraphs = list(_docx_text(render_docx(strategy_draft(short_plan, "ar"))))
    area = next(p for p in paragraphs if p.text == ARABIC_AREA)
    assert area._p.pPr.find(qn("w:bidi")) is not None
    assert area.runs[0]._r.rPr.find(qn("w:rtl")) is not None
    assert any("كينيا" in p.text for p in paragraphs)  # Kenya, from the reference data


def test_docx_exports_in_each_of_the_six_languages(short_plan: ActionPlan) -> None:
    from cophub.strategies.exports import render_docx

    first_area = short_plan.assessment.framework.sections.get(position=0)
    for language in UI_LANGUAGE_CODES:
        draft = strategy_draft(short_plan, language)
        paragraphs = [p.text for p in _docx_text(render_docx(draft))]
        assert first_area.titles[language] in paragraphs, language
        assert draft.areas[0].actions, language


def _pdf_text(document: Any) -> str:
    texts: list[str] = []

    def walk(box: Any) -> None:
        if getattr(box, "text", None):
            texts.append(box.text)
        for child in getattr(box, "children", None) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(texts)


def test_pdf_draft_strategy_in_english_and_arabic(short_plan: ActionPlan) -> None:
    arabic_document = render_pdf_document(strategy_draft(short_plan, "ar"))
    assert arabic_document.write_pdf().startswith(b"%PDF")
    arabic = _pdf_text(arabic_document)
    assert ARABIC_AREA in arabic and "كينيا" in arabic
    english = _pdf_text(render_pdf_document(strategy_draft(short_plan, "en")))
    assert "Draft national child online protection strategy: Kenya" in english
    assert "Governance and lead agency" in english and LINK["title"] in english


def test_export_refuses_unknown_language_or_format(
    plan: ActionPlan, api_as: Callable[[User], Api], focal_ke: User
) -> None:
    api = api_as(focal_ke)
    path = f"assessments/{plan.assessment_id}/plan/export"
    assert api.get(path, format="docx", lang="de").json()["details"]["errors"][0]["field"] == "lang"
    assert (
        api.get(path, format="odt", lang="en").json()["details"]["errors"][0]["field"] == "format"
    )


def test_assistance_routes_to_the_regional_office_and_bdt_and_is_tracked_to_closure(
    plan: ActionPlan,
    api_as: Callable[[User], Api],
    focal_ke: User,
    focal_br: User,
    ro_africa: User,
    ro_americas: User,
    bdt_staff: User,
) -> None:
    focal = api_as(focal_ke)
    body = {
        "country": "KE", "title": "Training for investigators", "description": "Two workshops",
        "assessment": plan.assessment_id, "items": ["law-enforcement.unit"],
    }  # fmt: skip
    created = focal.post("assistance", body)
    assert created.status_code == 201, created.content
    request = created.json()
    assert request["region"] == "AFR" and request["status"] == "submitted"
    path = f"assistance/{request['id']}"
    for user, sees in [
        (ro_africa, True),
        (bdt_staff, True),
        (ro_americas, False),
        (focal_br, False),
    ]:
        assert api_as(user).get(path).status_code == (200 if sees else 404), user.username
    assert (
        api_as(focal_br).post("assistance", {**body, "assessment": None, "items": []}).status_code
        == 403
    )
    # The country adds notes but does not move the request on; ITU's side does.
    assert focal.post(f"{path}/notes", {"on": "2025-10-01", "text": "Any news?"}).status_code == 201
    forbidden = focal.post(
        f"{path}/notes", {"on": "2025-10-01", "text": "Done", "status": "closed"}
    )
    assert forbidden.status_code == 403
    officer = api_as(ro_africa)
    acknowledged = officer.post(
        f"{path}/notes", {"on": "2025-10-02", "text": "Received", "status": "acknowledged"}
    )
    assert acknowledged.status_code == 201
    backwards = officer.post(
        f"{path}/notes", {"on": "2025-10-03", "text": "x", "status": "submitted"}
    )
    assert backwards.json()["details"]["errors"][0]["field"] == "status"
    closed = api_as(bdt_staff).post(
        f"{path}/notes", {"on": "2025-11-20", "text": "Delivered", "status": "closed"}
    )
    assert closed.status_code == 201
    final = focal.get(path).json()
    assert final["status"] == "closed" and final["closed_at"] is not None
    assert [n["on"] for n in final["notes"]] == ["2025-10-01", "2025-10-02", "2025-11-20"]
    # What reports read: the request, on the day it was made.
    today = timezone.now().date()
    records = selectors.records_in_period(period=Period(today, today))
    assert [r.source for r in records if r.kind == "assistance_request"] == [
        f"strategies.assistancerequest:{request['id']}"
    ]
