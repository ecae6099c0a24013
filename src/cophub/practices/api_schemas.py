"""Shapes of the best-practice API."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from .models import Attachment, Call, ScreeningFinding, Submission


class CallIn(Schema):
    titles: dict[str, str]
    descriptions: dict[str, str] = {}
    region: str | None = None
    opens_at: datetime
    closes_at: datetime
    eligible_kinds: list[str] | None = None
    phase: str = "announced"


class PhaseIn(Schema):
    phase: str


class CallOut(Schema):
    id: int
    title: str
    titles: dict[str, str]
    description: str
    region: str | None
    phase: str
    opens_at: datetime
    closes_at: datetime
    accepts_submissions: bool
    eligible_kinds: list[str]


def call_out(call: Call) -> CallOut:
    return CallOut(
        id=call.pk,
        title=call.title,
        titles=call.titles,
        description=call.description,
        region=call.region_id,
        phase=call.phase,
        opens_at=call.opens_at,
        closes_at=call.closes_at,
        accepts_submissions=call.accepts_submissions(),
        eligible_kinds=list(call.eligible_kinds),
    )


class SubmissionIn(Schema):
    call: int
    title: str = ""
    category: str = ""
    original_language: str = ""
    abstract: str = ""
    source_entity: str = ""
    country: str | None = None
    region: str | None = None
    clauses: list[str] = []
    framework_items: list[str] = []
    lessons_learned: str = ""
    suggested_practice: str = ""
    evidence_of_impact: str = ""
    contact_name: str = ""
    contact_email: str = ""


class SubmissionPatch(Schema):
    title: str | None = None
    category: str | None = None
    original_language: str | None = None
    abstract: str | None = None
    source_entity: str | None = None
    country: str | None = None
    region: str | None = None
    clauses: list[str] | None = None
    framework_items: list[str] | None = None
    lessons_learned: str | None = None
    suggested_practice: str | None = None
    evidence_of_impact: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    sha256: str


class FindingOut(Schema):
    id: int
    field: str
    kind: str
    excerpt: str
    resolution: str


class SubmissionOut(Schema):
    reference: str
    call: int
    state: str
    state_name: str
    category: str
    title: str
    abstract: str
    source_entity: str
    country: str | None
    region: str | None
    clauses: list[str]
    framework_items: list[str]
    lessons_learned: str
    suggested_practice: str
    evidence_of_impact: str
    contact_name: str
    contact_email: str
    original_language: str
    published_answer: str
    version: int
    submitted_at: datetime | None
    decided_at: datetime | None
    attachments: list[AttachmentOut]
    findings: list[FindingOut]
    published_url: str | None


def _attachment_out(a: Attachment) -> AttachmentOut:
    return AttachmentOut(id=a.pk, name=a.original_name, size=a.size, sha256=a.sha256)


def _finding_out(f: ScreeningFinding) -> FindingOut:
    return FindingOut(
        id=f.pk, field=f.field, kind=f.kind, excerpt=f.excerpt, resolution=f.resolution
    )


def submission_out(s: Submission) -> SubmissionOut:
    page = s.published_page
    return SubmissionOut(
        reference=s.reference,
        call=s.call_id,
        state=s.state_id,
        state_name=s.state.name,
        category=s.category_id,
        title=s.title,
        abstract=s.abstract,
        source_entity=s.source_entity,
        country=s.country_id,
        region=s.region_id,
        clauses=sorted(c.id for c in s.clauses.all()),
        framework_items=list(s.framework_items),
        lessons_learned=s.lessons_learned,
        suggested_practice=s.suggested_practice,
        evidence_of_impact=s.evidence_of_impact,
        contact_name=s.contact_name,
        contact_email=s.contact_email,
        original_language=s.original_language,
        published_answer=s.published_answer,
        version=s.version,
        submitted_at=s.submitted_at,
        decided_at=s.decided_at,
        attachments=[_attachment_out(a) for a in s.attachments.all()],
        findings=[_finding_out(f) for f in s.findings.all()],
        published_url=page.url if page is not None and page.live else None,
    )


class SubmissionSummary(Schema):
    reference: str
    title: str
    state: str
    category: str
    call: int
    original_language: str


class TransitionIn(Schema):
    state: str
    answer: str = ""


class VersionOut(Schema):
    number: int
    created_at: datetime
    created_by: str | None


class ChangeOut(Schema):
    op: str
    text: str


class FieldDiffOut(Schema):
    field: str
    changes: list[ChangeOut]


class DiffOut(Schema):
    number: int
    previous: int | None
    fields: list[FieldDiffOut]


class AssignIn(Schema):
    reviewer: str = Field(description="username of a user with the reviewer role")


class DeclarationIn(Schema):
    conflict: bool
    note: str = ""


class ScoresIn(Schema):
    scores: dict[str, int]
    comment: str = ""


class AssignmentOut(Schema):
    reviewer: str
    conflict: bool | None
    conflict_note: str
    scores: dict[str, int]
    comment: str


class ReviewOut(Schema):
    assignments: list[AssignmentOut]
    averages: dict[str, float | None]


class NoteIn(Schema):
    text: str


class NoteOut(Schema):
    author: str | None
    text: str
    created_at: datetime


class ResolveFindingIn(Schema):
    resolution: str


class ReportIn(Schema):
    reason: str
    message: str = ""


class ReportOut(Schema):
    id: int
    submission: str
    reason: str
    message: str
    status: str
    created_at: datetime


class ModerateIn(Schema):
    decision: str


class PublishOut(Schema):
    reference: str
    url: str


Document = dict[str, Any]
