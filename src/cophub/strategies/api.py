"""The strategies API under /api/v1/strategies/: frameworks, assessments, sections and
co-respondents, answers and evidence, the consultation and the stakeholder map. Profiles,
plans, assistance and the regional view are in ``api_plans``. Errors use the one shape of the
platform; 404 for what a user may not see, 403 for what they may see but not do."""

from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status, UploadedFile

from cophub.accounts.models import User
from cophub.portal.api_auth import AUTHENTICATED, api_user
from cophub.portal.paging import keyset_paginate
from cophub.reference.models import Country

from . import access, assessment_parts, selectors, services
from .api_schemas import (
    AnswerIn,
    AnswerOut,
    AssessmentDetailOut,
    AssessmentIn,
    AssessmentOut,
    AssessmentPatch,
    AssigneeOut,
    AssignmentIn,
    ConsultationIn,
    ConsultationOut,
    Document,
    EvidenceForm,
    EvidenceOut,
    FrameworkOut,
    SectionOut,
    StakeholderIn,
    StakeholderOut,
    answer_out,
    assessment_out,
    evidence_out,
)
from .errors import FieldErrors
from .models import Answer, Assessment, Consultation, Framework, Stakeholder

router = Router(tags=["strategies"], auth=AUTHENTICATED)


def _framework(f: Framework) -> FrameworkOut:
    return FrameworkOut(
        key=f.key,
        version=f.version,
        title=f.title,
        official_languages=f.official_languages,
        sections=len(f.sections.all()),
        items=len(f.items.all()),
    )


@router.get("/frameworks", response=list[FrameworkOut])
@keyset_paginate(ordering=("key", "version"), row=_framework)
def framework_list(request: HttpRequest) -> QuerySet[Framework]:
    return selectors.framework_list().prefetch_related("sections", "items")


@router.get("/frameworks/{key}/{version}", response=Document)
def framework_document(request: HttpRequest, key: str, version: str) -> Document:
    """The framework in its data format ``cophub.strategies.framework/1``."""
    document: Document = get_object_or_404(Framework, key=key, version=version).document
    return document


@router.get("/assessments", response=list[AssessmentOut])
@keyset_paginate(ordering=("country_id", "-year"), row=assessment_out)
def assessment_list(request: HttpRequest) -> QuerySet[Assessment]:
    """Assessments you may see: your country's, those with a section assigned to you, and
    published ones shared with you. Ordered by country code and year; never ranked."""
    return selectors.assessment_list(api_user(request))


def _detail(user: User, assessment_id: int) -> AssessmentDetailOut:
    found = access.access_assessment(user, assessment_id)
    keys = sorted(
        found.assessment.framework.sections.filter(pk__in=found.section_ids).values_list(
            "key", flat=True
        )
    )
    return AssessmentDetailOut(
        **assessment_out(found.assessment).model_dump(), manages=found.manages, sections=keys
    )


@router.post("/assessments", response={201: AssessmentDetailOut})
def assessment_open(request: HttpRequest, payload: AssessmentIn) -> Status[AssessmentDetailOut]:
    """Open a country's assessment for a year (focal points of that country only). It starts
    from the latest earlier assessment unless ``start_from_previous`` is false."""
    user = api_user(request)
    country_code = payload.country.upper()
    access.access_country_for_opening(user, country_code)
    frameworks = Framework.objects.filter(key=payload.framework)
    if payload.framework_version:
        frameworks = frameworks.filter(version=payload.framework_version)
    framework = frameworks.order_by("-version").first()
    if framework is None:
        errors = FieldErrors()
        errors.add("framework", _("Unknown framework."))
        errors.raise_if_any()
    assessment = services.assessment_open(
        user=user,
        country=Country.objects.get(iso2=country_code),
        year=payload.year,
        framework=cast(Framework, framework),
        start_from_previous=payload.start_from_previous,
    )
    return Status(201, _detail(user, assessment.pk))


@router.get("/assessments/{assessment_id}", response=AssessmentDetailOut)
def assessment_detail(request: HttpRequest, assessment_id: int) -> AssessmentDetailOut:
    return _detail(api_user(request), assessment_id)


@router.patch("/assessments/{assessment_id}", response=AssessmentDetailOut)
def assessment_patch(
    request: HttpRequest, assessment_id: int, payload: AssessmentPatch
) -> AssessmentDetailOut:
    """Choose the confidentiality: private, shared_bdt, aggregated or public."""
    found = access.access_assessment_for_management(api_user(request), assessment_id)
    services.assessment_set_confidentiality(
        assessment=found.assessment, confidentiality=payload.confidentiality
    )
    return _detail(api_user(request), assessment_id)


@router.post("/assessments/{assessment_id}/submit", response=AssessmentDetailOut)
def assessment_submit(request: HttpRequest, assessment_id: int) -> AssessmentDetailOut:
    """Lock the answers (every required question answered); 422 lists what is missing."""
    found = access.access_assessment_for_management(api_user(request), assessment_id)
    services.assessment_submit(assessment=found.assessment, user=api_user(request))
    return _detail(api_user(request), assessment_id)


@router.post("/assessments/{assessment_id}/reopen", response=AssessmentDetailOut)
def assessment_reopen(request: HttpRequest, assessment_id: int) -> AssessmentDetailOut:
    found = access.access_assessment_for_management(api_user(request), assessment_id)
    services.assessment_reopen(assessment=found.assessment)
    return _detail(api_user(request), assessment_id)


@router.get("/assessments/{assessment_id}/sections", response=list[SectionOut])
def section_list(request: HttpRequest, assessment_id: int) -> list[SectionOut]:
    """Status of the sections you answer, and who is assigned to each."""
    found = access.access_working_copy(api_user(request), assessment_id)
    assignments = {(a.section_id, a.user_id): a.pk for a in selectors.assignments(found.assessment)}
    return [
        SectionOut(
            key=s.section.key,
            title=s.section.title,
            status=s.status,
            required=s.required,
            answered=s.answered,
            assignees=[
                AssigneeOut(
                    assignment=assignments[(s.section.pk, u.pk)],
                    username=u.username,
                    organisation=u.organisation.name if u.organisation else None,
                )
                for u in s.assignees
            ],
        )
        for s in selectors.section_statuses(found)
    ]


@router.post("/assessments/{assessment_id}/assignments", response={201: AssigneeOut})
def assignment_create(
    request: HttpRequest, assessment_id: int, payload: AssignmentIn
) -> Status[AssigneeOut]:
    """Give a section to a co-respondent (by user name)."""
    found = access.access_assessment_for_management(api_user(request), assessment_id)
    assignment = services.assignment_create(
        assessment=found.assessment,
        section_key=payload.section,
        username=payload.username,
        by=api_user(request),
    )
    organisation = assignment.user.organisation
    return Status(
        201,
        AssigneeOut(
            assignment=assignment.pk,
            username=assignment.user.username,
            organisation=organisation.name if organisation else None,
        ),
    )


@router.delete("/assessments/{assessment_id}/assignments/{assignment_id}", response={204: None})
def assignment_delete(request: HttpRequest, assessment_id: int, assignment_id: int) -> Status[None]:
    found = access.access_assessment_for_management(api_user(request), assessment_id)
    services.assignment_delete(assessment=found.assessment, assignment_id=assignment_id)
    return Status(204, None)


def _answers(page: list[Answer], params: dict[str, Any]) -> list[AnswerOut]:
    evidence: dict[int, list] = {}  # type: ignore[type-arg]
    for item in selectors.evidence_of_answers(page):
        evidence.setdefault(item.item_id, []).append(item)
    return [answer_out(answer, evidence.get(answer.item_id, [])) for answer in page]


@router.get("/assessments/{assessment_id}/answers", response=list[AnswerOut])
@keyset_paginate(ordering=("item__section__position", "item__position"), rows=_answers)
def answer_list(request: HttpRequest, assessment_id: int) -> QuerySet[Answer]:
    """Working answers of the sections you answer, with who answered and the evidence."""
    found = access.access_working_copy(api_user(request), assessment_id)
    return selectors.answers_in_sections(found.assessment, found.section_ids)


@router.put("/assessments/{assessment_id}/answers/{item_key}", response=AnswerOut)
def answer_put(
    request: HttpRequest, assessment_id: int, item_key: str, payload: AnswerIn
) -> AnswerOut:
    """Answer one question: ``value`` is yes/no/partial, a maturity phase, a number or a
    text. Yes and Partial need evidence: links here, or files posted to ``…/evidence``."""
    found, item = access.access_item_for_answer(api_user(request), assessment_id, item_key)
    answer = services.answer_save(
        assessment=found.assessment,
        item=item,
        user=api_user(request),
        value=payload.value,
        comment=payload.comment,
        evidence=[services.EvidenceInput(**e.model_dump()) for e in payload.evidence],
    )
    evidence = list(found.assessment.evidence.filter(item=item).select_related("item"))
    return answer_out(answer, evidence)


@router.post(
    "/assessments/{assessment_id}/answers/{item_key}/evidence", response={201: EvidenceOut}
)
def evidence_upload(
    request: HttpRequest,
    assessment_id: int,
    item_key: str,
    details: Form[EvidenceForm],
    file: UploadedFile | None = File(None),  # type: ignore[type-arg]  # noqa: B008 - ninja declares parameters so
) -> Status[EvidenceOut]:
    """Attach a document (multipart ``file``: PDF, DOCX, ODT, PNG or JPEG, 10 MB at most by
    default) or a link (``url``) to a question, before or after answering it."""
    found, item = access.access_item_for_answer(api_user(request), assessment_id, item_key)
    evidence = services.evidence_add(
        assessment=found.assessment,
        item=item,
        user=api_user(request),
        data=services.EvidenceInput(**details.model_dump(), file=file),
    )
    return Status(201, evidence_out(evidence))


@router.delete("/assessments/{assessment_id}/evidence/{evidence_id}", response={204: None})
def evidence_delete(request: HttpRequest, assessment_id: int, evidence_id: int) -> Status[None]:
    evidence = access.access_evidence(api_user(request), assessment_id, evidence_id)
    services.evidence_delete(assessment=evidence.assessment, evidence=evidence)
    return Status(204, None)


def _consultation(c: Consultation) -> ConsultationOut:
    return ConsultationOut(
        id=c.pk, held_on=c.held_on, method=c.method, participants=c.participants,
        summary=c.summary, age_min=c.age_min, age_max=c.age_max, inclusion=c.inclusion,
        influence=c.influence,
    )  # fmt: skip


@router.get("/assessments/{assessment_id}/consultations", response=list[ConsultationOut])
@keyset_paginate(ordering=("held_on",), row=_consultation)
def consultation_list(request: HttpRequest, assessment_id: int) -> QuerySet[Consultation]:
    found = access.access_assessment_for_management(api_user(request), assessment_id)
    return found.assessment.consultations.all()


@router.post("/assessments/{assessment_id}/consultations", response={201: ConsultationOut})
def consultation_add(
    request: HttpRequest, assessment_id: int, payload: ConsultationIn
) -> Status[ConsultationOut]:
    """Record a consultation with children and young people (counts only; no names)."""
    found = access.access_assessment_for_management(api_user(request), assessment_id)
    record = assessment_parts.consultation_add(
        assessment=found.assessment,
        user=api_user(request),
        data=assessment_parts.ConsultationInput(**payload.model_dump()),
    )
    return Status(201, ConsultationOut(id=record.pk, **payload.model_dump()))


def _stakeholder(s: Stakeholder) -> StakeholderOut:
    return StakeholderOut(
        id=s.pk, name=s.name, sector=s.sector, involvement=s.involvement, role=s.role
    )


@router.get("/assessments/{assessment_id}/stakeholders", response=list[StakeholderOut])
@keyset_paginate(ordering=("sector", "name"), row=_stakeholder)
def stakeholder_list(request: HttpRequest, assessment_id: int) -> QuerySet[Stakeholder]:
    found = access.access_assessment_for_management(api_user(request), assessment_id)
    return found.assessment.stakeholders.all()


@router.post("/assessments/{assessment_id}/stakeholders", response={201: StakeholderOut})
def stakeholder_add(
    request: HttpRequest, assessment_id: int, payload: StakeholderIn
) -> Status[StakeholderOut]:
    found = access.access_assessment_for_management(api_user(request), assessment_id)
    stakeholder = assessment_parts.stakeholder_add(
        assessment=found.assessment, **payload.model_dump()
    )
    return Status(201, StakeholderOut(id=stakeholder.pk, **payload.model_dump()))


@router.delete("/assessments/{assessment_id}/consultations/{consultation_id}", response={204: None})
def consultation_delete(
    request: HttpRequest, assessment_id: int, consultation_id: int
) -> Status[None]:
    found = access.access_assessment_for_management(api_user(request), assessment_id)
    assessment_parts.assessment_part_delete(
        assessment=found.assessment, kind="consultation", part_id=consultation_id
    )
    return Status(204, None)


@router.delete("/assessments/{assessment_id}/stakeholders/{stakeholder_id}", response={204: None})
def stakeholder_delete(
    request: HttpRequest, assessment_id: int, stakeholder_id: int
) -> Status[None]:
    found = access.access_assessment_for_management(api_user(request), assessment_id)
    assessment_parts.assessment_part_delete(
        assessment=found.assessment, kind="stakeholder", part_id=stakeholder_id
    )
    return Status(204, None)


def _register_subrouters() -> None:
    from .api_plans import router as plans_router

    router.add_router("", plans_router)


_register_subrouters()
