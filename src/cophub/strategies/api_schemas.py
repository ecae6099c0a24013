"""Request and response shapes of the strategies API, and the conversions to them."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from .models import Action, Answer, Assessment, AssistanceRequest, Evidence
from .profiles import PROFILE_STATUSES, answer_value

Document = dict[str, Any]


class FrameworkRef(Schema):
    key: str
    version: str


class FrameworkOut(Schema):
    key: str
    version: str
    title: str
    official_languages: list[str]
    sections: int
    items: int


class AssessmentOut(Schema):
    id: int
    country: str
    year: int
    framework: FrameworkRef
    status: str
    confidentiality: str
    profile_status: str
    published_at: datetime | None
    submitted_at: datetime | None
    previous: int | None


class AssessmentDetailOut(AssessmentOut):
    manages: bool
    sections: list[str]


class AssessmentIn(Schema):
    country: str = Field(min_length=2, max_length=2)
    year: int
    framework: str = "itu-areas"
    framework_version: str | None = None
    start_from_previous: bool = True


class AssessmentPatch(Schema):
    confidentiality: str


class AssigneeOut(Schema):
    assignment: int
    username: str
    organisation: str | None


class SectionOut(Schema):
    key: str
    title: str
    status: str
    required: int
    answered: int
    assignees: list[AssigneeOut]


class AssignmentIn(Schema):
    section: str = Field(min_length=1)
    username: str = Field(min_length=1, max_length=150)


class EvidenceOut(Schema):
    id: int
    item: str
    title: str
    url: str
    file_name: str
    has_file: bool
    issuing_body: str
    issued_on: date
    language: str
    carried_over: bool


class EvidenceLinkIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    url: str = Field(min_length=1, max_length=500)
    issuing_body: str = Field(min_length=1, max_length=200)
    issued_on: date
    language: str = Field(min_length=2, max_length=8)


class EvidenceForm(Schema):
    title: str = Field(min_length=1, max_length=300)
    issuing_body: str = Field(min_length=1, max_length=200)
    issued_on: date
    language: str = Field(min_length=2, max_length=8)
    url: str = Field(default="", max_length=500)


class AnswerIn(Schema):
    value: str | int | float | None
    comment: str = Field(default="", max_length=10_000)
    evidence: list[EvidenceLinkIn] = []


class AnswerOut(Schema):
    item: str
    section: str
    kind: str
    value: str | int | None
    comment: str
    answered_by: str | None
    organisation: str | None
    answered_at: datetime
    carried_over: bool
    evidence: list[EvidenceOut]


class ConsultationIn(Schema):
    held_on: date
    method: str
    participants: int = Field(ge=1)
    summary: str = Field(min_length=1)
    age_min: int | None = None
    age_max: int | None = None
    inclusion: str = ""
    influence: str = ""


class ConsultationOut(ConsultationIn):
    id: int


class StakeholderIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    sector: str
    involvement: str
    role: str = Field(default="", max_length=300)


class StakeholderOut(StakeholderIn):
    id: int


class ProfileOut(Schema):
    status: str
    status_label: str
    validated_at: datetime | None
    published_at: datetime | None
    content: Document
    view: list[Document]


class SummaryIn(Schema):
    summary: str = Field(max_length=20_000)


class AssessmentChangeOut(Schema):
    item: str
    change: str
    direction: str
    before: str | int | None
    after: str | int | None
    summary: str
    evidence: list[Document]


class AssessmentDiffOut(Schema):
    current: int
    previous: int | None
    changes: list[AssessmentChangeOut]


class PlanIn(Schema):
    from_gaps: bool = True


class ActionIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    owner: int
    description: str = ""
    partners: list[str] = []
    starts_on: date | None = None
    ends_on: date | None = None
    budget_line: str = Field(default="", max_length=200)
    budget_amount: Decimal | None = None
    currency: str = Field(default="", max_length=3)
    target_maturity: int | None = None
    indicators: str = ""
    status: str = Action.Status.PLANNED
    items: list[str] = []
    clauses: list[str] = []
    gap: str | None = None


class ActionUpdateIn(Schema):
    on: date
    text: str = Field(min_length=1)
    status: str


class ActionUpdateOut(ActionUpdateIn):
    id: int
    author: str | None


class ActionOut(Schema):
    id: int
    title: str
    description: str
    gap: str | None
    owner: str
    partners: list[str]
    starts_on: date | None
    ends_on: date | None
    budget_line: str
    budget_amount: Decimal | None
    currency: str
    target_maturity: int | None
    indicators: str
    status: str
    items: list[str]
    clauses: list[str]
    updates: list[ActionUpdateOut]


class PlanOut(Schema):
    id: int
    assessment: int
    title: str
    actions: list[ActionOut]


class AssistanceIn(Schema):
    country: str = Field(min_length=2, max_length=2)
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(min_length=1)
    assessment: int | None = None
    items: list[str] = []


class AssistanceNoteIn(Schema):
    on: date
    text: str = Field(min_length=1)
    status: str = ""


class AssistanceNoteOut(AssistanceNoteIn):
    id: int
    author: str | None


class AssistanceOut(Schema):
    id: int
    country: str
    region: str
    title: str
    description: str
    status: str
    assessment: int | None
    items: list[str]
    created_at: datetime
    closed_at: datetime | None
    notes: list[AssistanceNoteOut]


class CellsOut(Schema):
    capability: str
    title: str
    counts: list[int | None]


class TableOut(Schema):
    key: str
    title: str
    shown: bool
    rows: list[CellsOut]


class RegionalOut(Schema):
    year: int | None
    region: str | None
    phases: list[str]
    min_countries: int
    by_region: list[TableOut]
    by_grouping: list[TableOut]
    assessments: list[AssessmentOut]


def assessment_out(assessment: Assessment) -> AssessmentOut:
    profile = getattr(assessment, "profile", None)
    return AssessmentOut(
        id=assessment.pk,
        country=assessment.country_id,
        year=assessment.year,
        framework=FrameworkRef(key=assessment.framework.key, version=assessment.framework.version),
        status=assessment.status,
        confidentiality=assessment.confidentiality,
        profile_status=profile.status if profile else "draft",
        published_at=profile.published_at if profile else None,
        submitted_at=assessment.submitted_at,
        previous=assessment.previous_id,
    )


def profile_status_label(status: str) -> str:
    return str(PROFILE_STATUSES.get(status, status))


def evidence_out(evidence: Evidence) -> EvidenceOut:
    return EvidenceOut(
        id=evidence.pk,
        item=evidence.item.key,
        title=evidence.title,
        url=evidence.url,
        file_name=evidence.file_name,
        has_file=bool(evidence.file),
        issuing_body=evidence.issuing_body,
        issued_on=evidence.issued_on,
        language=evidence.language,
        carried_over=evidence.carried_over,
    )


def answer_out(answer: Answer, evidence: list[Evidence]) -> AnswerOut:
    user = answer.answered_by
    return AnswerOut(
        item=answer.item.key,
        section=answer.item.section.key,
        kind=answer.item.kind,
        value=answer_value(answer),
        comment=answer.comment,
        answered_by=user.username if user else None,
        organisation=user.organisation.name if user and user.organisation else None,
        answered_at=answer.answered_at,
        carried_over=answer.carried_over,
        evidence=[evidence_out(e) for e in evidence],
    )


def action_out(action: Action) -> ActionOut:
    return ActionOut(
        id=action.pk,
        title=action.title,
        description=action.description,
        gap=action.gap_item.key if action.gap_item else None,
        owner=action.owner.name,
        partners=action.partners,
        starts_on=action.starts_on,
        ends_on=action.ends_on,
        budget_line=action.budget_line,
        budget_amount=action.budget_amount,
        currency=action.currency,
        target_maturity=action.target_maturity,
        indicators=action.indicators,
        status=action.status,
        items=[item.key for item in action.items.all()],
        clauses=[clause.pk for clause in action.clauses.all()],
        updates=[
            ActionUpdateOut(
                id=u.pk,
                on=u.on,
                text=u.text,
                status=u.status,
                author=u.author.username if u.author else None,
            )
            for u in action.updates.all()
        ],
    )


def assistance_out(request: AssistanceRequest) -> AssistanceOut:
    return AssistanceOut(
        id=request.pk,
        country=request.country_id,
        region=request.region_id,
        title=request.title,
        description=request.description,
        status=request.status,
        assessment=request.assessment_id,
        items=[item.key for item in request.items.all()],
        created_at=request.created_at,
        closed_at=request.closed_at,
        notes=[
            AssistanceNoteOut(
                id=n.pk,
                on=n.on,
                text=n.text,
                status=n.status,
                author=n.author.username if n.author else None,
            )
            for n in request.notes.all()
        ],
    )
