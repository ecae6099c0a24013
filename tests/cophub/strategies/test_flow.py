"""From nothing to a validated profile, an action plan and an exported draft strategy,
through the pages (no JavaScript), with a co-respondent and a regional officer."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document

from cophub.accounts.models import User
from cophub.strategies.models import Action, Assessment, AssistanceRequest, Framework

from .conftest import answer_everything

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_focal_point_goes_from_empty_to_an_exported_strategy(
    focal_ke: User, police_ke: User, ro_africa: User
) -> None:
    focal, police, officer = _client(focal_ke), _client(police_ke), _client(ro_africa)
    assert "Open an assessment" in focal.get("/en/strategies/").content.decode()
    framework = Framework.objects.get(key="itu-areas")
    opened = focal.post(
        "/en/strategies/assessments/new/",
        {"country": "KE", "year": 2025, "framework": framework.pk, "start_from_previous": "on"},
    )
    assessment = Assessment.objects.get(country_id="KE", year=2025)
    base = f"/en/strategies/assessments/{assessment.pk}"
    assert opened.status_code == 302 and opened["Location"] == f"{base}/"
    again = focal.post(
        "/en/strategies/assessments/new/",
        {"country": "KE", "year": 2025, "framework": framework.pk},
    )
    assert again.status_code == 422 and "already has an assessment" in again.content.decode()

    # A co-respondent of another organisation answers the reporting section, with a file.
    assert (
        focal.post(f"{base}/assign/", {"section": "reporting", "username": "police-ke"}).status_code
        == 302
    )
    assert police.get(f"{base}/sections/legal/").status_code == 404
    section = police.get(f"{base}/sections/reporting/")
    assert section.status_code == 200 and "Add evidence" in section.content.decode()
    missing_evidence = police.post(f"{base}/items/reporting.hotline/", {"value": "yes"})
    assert missing_evidence.status_code == 422
    assert "Yes and Partial answers need evidence" in missing_evidence.content.decode()
    answered = police.post(
        f"{base}/items/reporting.hotline/",
        {
            "value": "yes",
            "comment": "Run with the national police",
            "evidence_title": "Hotline annual report 2024",
            "evidence_file": SimpleUploadedFile("report.pdf", PDF, "application/pdf"),
            "evidence_issuing_body": "National hotline",
            "evidence_issued_on": "2025-01-31",
            "evidence_language": "en",
        },
    )
    assert answered.status_code == 302, answered.content.decode()[:2000]
    page = police.get(f"{base}/sections/reporting/").content.decode()
    assert "Answered by police-ke" in page and "Hotline annual report 2024" in page

    # The focal point answers the rest; a phase out of the scale is refused on the page.
    out_of_scale = focal.post(f"{base}/items/governance.leadership/", {"value": "5"})
    assert out_of_scale.status_code == 422
    assert "Choose a maturity phase from 1 to 4." in out_of_scale.content.decode()
    assert focal.post(f"{base}/items/governance.leadership/", {"value": "2"}).status_code == 302
    answer_everything(
        assessment, focal_ke, choice="yes", phase=4, overrides={"law-enforcement.unit": "no"}
    )
    detail = focal.get(f"{base}/").content.decode()
    assert "police-ke" in detail and "Complete" in detail

    consultation = {
        "held_on": "2025-03-04", "method": "workshop", "participants": "40", "age_min": "12",
        "age_max": "17", "summary": "Reporting tools in Kiswahili", "influence": "In the plan",
    }  # fmt: skip
    assert focal.post(f"{base}/consultation/", consultation).status_code == 302
    stakeholder = {
        "name": "Childline Kenya",
        "sector": "child_helpline",
        "involvement": "respondent",
    }
    assert focal.post(f"{base}/stakeholders/", stakeholder).status_code == 302

    # Submit, validate, choose who sees it, publish.
    for action in ["submit", "validate"]:
        assert focal.post(f"{base}/do/{action}/").status_code == 302
    focal.post(f"{base}/do/confidentiality/", {"confidentiality": "shared_bdt"})
    assert officer.get(f"{base}/profile/").status_code == 404  # validated, not yet published
    published = focal.post(f"{base}/do/publish/", follow=True).content.decode()
    assert "The profile was published." in published
    shared = officer.get(f"{base}/profile/").content.decode()
    assert "Hotline annual report 2024" in shared and "Reporting tools in Kiswahili" in shared

    # The plan: one action per gap, then edited, with dated progress.
    assert focal.post(f"{base}/plan/", {"from_gaps": "1"}).status_code == 302
    action = Action.objects.get(plan__assessment=assessment, gap_item__key="law-enforcement.unit")
    edit = {
        "title": "Create an investigation unit", "owner": str(focal_ke.organisation_id),
        "starts_on": "2025-07-01", "ends_on": "2026-12-31", "budget_line": "Interior budget",
        "budget_amount": "250000", "currency": "USD", "target_maturity": "3",
        "indicators": "12 officers", "status": "in_progress", "items": ["law-enforcement.unit"],
        "clauses": ["MS-1"], "partners": "INTERPOL\nUNICEF",
    }  # fmt: skip
    saved = focal.post(f"{base}/plan/actions/{action.pk}/", edit)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    progress = {"on": "2025-09-30", "text": "Terms of reference agreed", "status": "in_progress"}
    assert focal.post(f"{base}/plan/actions/{action.pk}/progress/", progress).status_code == 302
    plan_page = focal.get(f"{base}/plan/").content.decode()
    assert "Create an investigation unit" in plan_page and "Terms of reference agreed" in plan_page
    assert officer.get(f"{base}/plan/").status_code == 403  # plans stay with the country

    # Export the draft strategy in French (DOCX) and Arabic (PDF).
    docx = focal.get(f"{base}/plan/export/", {"format": "docx", "lang": "fr"})
    assert docx.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert "Gouvernance et organisme chef de file" in texts
    assert "Create an investigation unit" in texts
    pdf = focal.get(f"{base}/plan/export/", {"format": "pdf", "lang": "ar"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # Ask ITU for support; the regional office acknowledges with a dated note.
    form = focal.get("/en/strategies/assistance/", {"assessment": assessment.pk}).content.decode()
    assert "law-enforcement.unit" in form
    asked = focal.post(
        "/en/strategies/assistance/",
        {
            "country": "KE", "title": "Training for investigators", "description": "Two workshops",
            "assessment": str(assessment.pk), "items": ["law-enforcement.unit"],
        },
    )  # fmt: skip
    request = AssistanceRequest.objects.get(country_id="KE")
    assert asked.status_code == 302 and request.items.count() == 1
    note = {"on": "2025-10-06", "text": "Dates proposed", "status": "acknowledged"}
    assert officer.post(f"/en/strategies/assistance/{request.pk}/", note).status_code == 302
    request.refresh_from_db()
    assert request.status == "acknowledged"
    regional = officer.get("/en/strategies/regional/").content.decode()
    actions = Action.objects.filter(plan__assessment=assessment).count()
    assert "Kenya" in regional and f"0 of {actions}" in regional
