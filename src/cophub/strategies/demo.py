"""Demo assessments (demo mode only): Kenya 2024 and 2025 (submitted, profile validated and
shared with BDT, an action plan, an assistance request) and Brazil 2025 (in progress,
private). Built through the services, so the demo obeys every rule a user meets. Evidence
links point at the home pages of real issuing bodies; the answers themselves are invented."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from cophub.accounts.models import User
from cophub.portal.errors import ActionForbidden
from cophub.reference.models import Country

from . import assessment_parts, assistance, plans, profiles, services
from .framework_format import frameworks_load
from .models import Action, Assessment, Confidentiality, Framework, Item

KENYA_LAW = (
    "Computer Misuse and Cybercrimes Act, 2018",
    "Parliament of Kenya",
    "https://kenyalaw.org/",
)
KENYA_CA = (
    "Child online protection guidelines",
    "Communications Authority of Kenya",
    "https://www.ca.go.ke/",
)
CHILDLINE = (
    "Child helpline 116 service report",
    "Childline Kenya",
    "https://www.childlinekenya.co.ke/",
)
BRAZIL_ECA = (
    "Estatuto da Criança e do Adolescente (Lei 8.069/1990)",
    "Presidência da República",
    "https://www.planalto.gov.br/ccivil_03/leis/l8069.htm",
)
SAFERNET = (
    "Central Nacional de Denúncias de Crimes Cibernéticos",
    "SaferNet Brasil",
    "https://new.safernet.org.br/",
)

KENYA_2024: dict[str, Any] = {
    "governance.lead-agency": ("yes", KENYA_CA),
    "governance.strategy": ("partial", KENYA_CA),
    "governance.coordination": ("partial", KENYA_CA),
    "legal.csam-offences": ("yes", KENYA_LAW),
    "law-enforcement.unit": ("no", None),
    "reporting.mechanism": ("yes", CHILDLINE),
    "reporting.helpline": ("yes", CHILDLINE),
    "reporting.hotline": ("partial", KENYA_CA),
    "law-enforcement.offences": ("120", None),
}
KENYA_2025_CHANGES: dict[str, Any] = {
    "governance.strategy": (
        "yes",
        (
            "National Child Online Protection Strategy",
            "Ministry of ICT and the Digital Economy",
            "https://www.ict.go.ke/",
        ),
    ),
    "law-enforcement.unit": (
        "partial",
        (
            "Directorate of Criminal Investigations: child protection unit",
            "National Police Service",
            "https://www.cid.go.ke/",
        ),
    ),
    "law-enforcement.offences": ("185", None),
    "governance.leadership": (3, None),
    "legal.legislation": (3, None),
}
BRAZIL_2025: dict[str, Any] = {
    "governance.lead-agency": ("yes", BRAZIL_ECA),
    "governance.strategy": ("partial", BRAZIL_ECA),
    "legal.csam-offences": ("yes", BRAZIL_ECA),
    "reporting.hotline": ("yes", SAFERNET),
    "governance.leadership": (3, None),
}


def _evidence(source: tuple[str, str, str], on: date) -> services.EvidenceInput:
    title, body, url = source
    return services.EvidenceInput(
        title=title, issuing_body=body, issued_on=on, language="en", url=url
    )


def _answer(
    assessment: Assessment, key: str, value: Any, source: Any, user: User, on: date
) -> None:
    item = assessment.framework.items.get(key=key)
    services.answer_save(
        assessment=assessment,
        item=item,
        user=user,
        value=value,
        evidence=[_evidence(source, on)] if source else [],
    )


def _fill(
    assessment: Assessment, user: User, answers: dict[str, Any], phase: int, on: date
) -> None:
    for key, (value, source) in answers.items():
        _answer(assessment, key, value, source, user, on)
    answered = set(assessment.answers.values_list("item__key", flat=True))
    for item in assessment.framework.items.filter(required=True).exclude(key__in=answered):
        if item.kind == Item.Kind.MATURITY:
            services.answer_save(assessment=assessment, item=item, user=user, value=phase)
        elif item.kind == Item.Kind.YES_NO_PARTIAL:
            services.answer_save(assessment=assessment, item=item, user=user, value="no")


def _publish(assessment: Assessment, user: User, summary: str) -> None:
    services.assessment_submit(assessment=assessment, user=user)
    services.assessment_set_confidentiality(
        assessment=assessment, confidentiality=Confidentiality.SHARED_BDT
    )
    profiles.profile_update_summary(assessment=assessment, summary=summary)
    profiles.profile_validate(assessment=assessment, user=user)
    profiles.profile_publish(assessment=assessment, user=user)


@transaction.atomic
def demo_strategies_load() -> list[Assessment]:
    if not settings.COPHUB_DEMO:
        raise ActionForbidden(_("Demo data is loaded only in demo mode."))
    frameworks_load()
    framework = Framework.objects.get(key="itu-areas", version="1.0")
    kenya, brazil = Country.objects.get(iso2="KE"), Country.objects.get(iso2="BR")
    existing = Assessment.objects.filter(country__in=[kenya, brazil], framework=framework)
    if existing.exists():
        return list(existing)
    focal_ke = User.objects.get(username="focal-ke")
    focal_br = User.objects.get(username="focal-br")
    helpline_ke = User.objects.filter(username="helpline-ke").first()
    officer = User.objects.get(username="ro-africa")

    ke_2024 = services.assessment_open(user=focal_ke, country=kenya, year=2024, framework=framework)
    _fill(ke_2024, focal_ke, KENYA_2024, phase=1, on=date(2023, 11, 1))
    _publish(ke_2024, focal_ke, "Kenya's first national COP self-assessment (demo data).")

    ke_2025 = services.assessment_open(user=focal_ke, country=kenya, year=2025, framework=framework)
    if helpline_ke is not None:
        services.assignment_create(
            assessment=ke_2025, section_key="reporting", username="helpline-ke", by=focal_ke
        )
        _answer(
            ke_2025, "reporting.helpline-contacts", "5400", None, helpline_ke, date(2025, 1, 15)
        )
    for key, (value, source) in KENYA_2025_CHANGES.items():
        _answer(ke_2025, key, value, source, focal_ke, date(2025, 2, 10))
    assessment_parts.consultation_add(
        assessment=ke_2025,
        user=focal_ke,
        data=assessment_parts.ConsultationInput(
            held_on=date(2025, 3, 4),
            method="workshop",
            participants=42,
            age_min=12,
            age_max=17,
            summary="Young people asked for reporting tools they can use in Kiswahili and for "
            "schools to teach what to do when something goes wrong online.",
            influence="Added to the education and reporting sections and to the action plan.",
        ),
    )
    for name, sector, involvement in (
        ("Communications Authority of Kenya", "regulator", "lead"),
        ("Childline Kenya", "child_helpline", "respondent"),
        ("National Police Service", "law_enforcement", "consulted"),
        ("Ministry of Education", "education", "consulted"),
    ):
        assessment_parts.stakeholder_add(
            assessment=ke_2025, name=name, sector=sector, involvement=involvement
        )
    _publish(
        ke_2025, focal_ke, "Progress since 2024: the national strategy is adopted (demo data)."
    )

    plan = plans.plan_open(assessment=ke_2025, user=focal_ke)
    unit = plan.actions.filter(gap_item__key="law-enforcement.unit").first()
    if unit is not None:
        plans.action_update(
            action=unit,
            data=plans.ActionInput(
                title="Establish a national online child exploitation investigation unit",
                owner_id=unit.owner_id,
                partners=["National Police Service", "INTERPOL"],
                starts_on=date(2025, 7, 1),
                ends_on=date(2026, 12, 31),
                budget_line="Ministry of Interior, development budget",
                budget_amount=Decimal("250000"),
                currency="USD",
                indicators="Unit staffed with 12 trained officers; connected to ICSE.",
                status=Action.Status.IN_PROGRESS,
                item_keys=["law-enforcement.unit", "law-enforcement.dedicated-law-enforcement"],
                clause_ids=["MS-1", "BDT-5"],
                gap_item_key="law-enforcement.unit",
            ),
        )
        plans.action_progress(
            action=unit,
            user=focal_ke,
            on=date(2025, 9, 30),
            text="Terms of reference agreed with the National Police Service.",
            status=Action.Status.IN_PROGRESS,
        )
    request = assistance.assistance_request_create(
        user=focal_ke,
        country=kenya,
        title="Training for the new investigation unit",
        description="Support to train investigators and prosecutors on online child sexual "
        "exploitation cases, and advice on connecting to INTERPOL's ICSE database.",
        assessment=ke_2025,
        item_keys=["law-enforcement.unit", "law-enforcement.icse"],
    )
    assistance.assistance_note_add(
        request=request,
        user=officer,
        on=date(2025, 10, 6),
        text="Received; the Regional Office for Africa will propose dates with BDT.",
        status="acknowledged",
        may_change_status=True,
    )

    br_2025 = services.assessment_open(
        user=focal_br, country=brazil, year=2025, framework=framework
    )
    for key, (value, source) in BRAZIL_2025.items():
        _answer(br_2025, key, value, source, focal_br, date(2024, 6, 1))
    return [ke_2024, ke_2025, br_2025]
