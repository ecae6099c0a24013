"""Reads for self-assessments: lists (permission-filtered by ``access``), section status and
who answered what, working answers of the sections a user sees, and regional progress."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Model, Q, QuerySet

from cophub.accounts.access import AnyUser
from cophub.accounts.models import User
from cophub.portal.records import Period, PeriodRecord, day_of, regions_filter
from cophub.reference.models import Country

from .access import AssessmentAccess, assessments_visible_to, shared_assessments_visible_to
from .models import (
    Action,
    Answer,
    Assessment,
    Assignment,
    AssistanceRequest,
    CountryProfile,
    Evidence,
    Framework,
    Item,
    Section,
)

# Lists never read these, and each is a whole document (a framework's is over 100 KB): decoding
# them for every row was most of a list's time.
LIST_DEFERRED = (
    "framework__document",
    "profile__validated_content",
    "profile__published_content",
)


def assessment_list(user: AnyUser) -> QuerySet[Assessment]:
    """Assessments ``user`` may see, by country code then year (never by any score)."""
    return (
        assessments_visible_to(user)
        .select_related("country", "framework", "profile")
        .defer(*LIST_DEFERRED)
        .order_by("country_id", "-year", "framework__key")
    )


def framework_list() -> QuerySet[Framework]:
    return Framework.objects.defer("document")


@dataclass
class SectionStatus:
    section: Section
    required: int
    answered: int
    assignees: list[User] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.answered == 0:
            return "not_started"
        return "complete" if self.answered >= self.required else "in_progress"


def section_statuses(access: AssessmentAccess) -> list[SectionStatus]:
    """Progress of each section the user sees, with the co-respondents assigned to it."""
    assessment = access.assessment
    answered_required = dict(
        Answer.objects.filter(assessment=assessment, item__required=True)
        .values_list("item__section_id")
        .annotate(n=Count("pk"))
        .values_list("item__section_id", "n")
    )
    sections = (
        Section.objects.filter(framework_id=assessment.framework_id, pk__in=access.section_ids)
        .annotate(required_items=Count("items", filter=Q(items__required=True)))
        .order_by("position")
    )
    assignees: dict[int, list[User]] = {}
    for assignment in Assignment.objects.filter(assessment=assessment).select_related(
        "user__organisation"
    ):
        assignees.setdefault(assignment.section_id, []).append(assignment.user)
    return [
        SectionStatus(
            section=section,
            required=section.required_items,
            answered=answered_required.get(section.pk, 0),
            assignees=assignees.get(section.pk, []),
        )
        for section in sections
    ]


def assignments(assessment: Assessment) -> QuerySet[Assignment]:
    return assessment.assignments.select_related("section", "user__organisation").order_by(
        "section__position", "user__username"
    )


def answers_in_sections(assessment: Assessment, section_ids: Iterable[int]) -> QuerySet[Answer]:
    return (
        Answer.objects.filter(assessment=assessment, item__section_id__in=list(section_ids))
        .select_related("item__section", "answered_by__organisation")
        .order_by("item__section__position", "item__position")
    )


def evidence_in_sections(assessment: Assessment, section_ids: Iterable[int]) -> QuerySet[Evidence]:
    return Evidence.objects.filter(
        assessment=assessment, item__section_id__in=list(section_ids)
    ).select_related("item", "added_by")


def evidence_of_answers(answers: list[Answer]) -> QuerySet[Evidence]:
    """The evidence of a page of answers (one query for the page)."""
    if not answers:
        return Evidence.objects.none()
    return Evidence.objects.filter(
        assessment_id=answers[0].assessment_id, item_id__in=[a.item_id for a in answers]
    ).select_related("item", "added_by")


def section_items(section: Section) -> QuerySet[Item]:
    return section.items.order_by("position")


def regional_progress(user: AnyUser, region_code: str | None) -> QuerySet[Assessment]:
    """Published assessments of the region (all regions: ``None``) that ``user`` sees one by
    one, with counts of actions done and in all (progress, not a score)."""
    visible = shared_assessments_visible_to(user)
    if region_code is not None:
        visible = visible.filter(country__region_id=region_code)
    return (
        visible.select_related("country__region", "framework", "profile")
        .defer(*LIST_DEFERRED)
        .annotate(
            actions_total=Count("plan__actions", distinct=True),
            actions_done=Count(
                "plan__actions",
                filter=Q(plan__actions__status=Action.Status.DONE),
                distinct=True,
            ),
        )
        .order_by("country_id", "-year")
    )


# Every model ``records_in_period`` reads (the countries only when regions are chosen):
# coordination refreshes its summaries after their rows change, and only theirs.
PERIOD_RECORD_MODELS: tuple[type[Model], ...] = (
    AssistanceRequest,
    Assessment,
    CountryProfile,
    Country,
)


def records_in_period(
    *, period: Period, regions: Collection[str] | None = None
) -> list[PeriodRecord]:
    """For reports (decision 0025): assistance requests made in the period (the day they were
    made), self-assessments submitted in it and country profiles published in it. Three
    queries."""
    start, end = period.instants()
    requests = AssistanceRequest.objects.filter(
        regions_filter(regions, region="region", country="country"),
        created_at__range=(start, end),
    )
    records = [
        PeriodRecord(
            on=day_of(request.created_at),
            kind="assistance_request",
            title=request.title,
            source=f"strategies.assistancerequest:{request.pk}",
            clauses=("BDT-5",),
            countries=(request.country_id,),
            region=request.region_id,
        )
        for request in requests
    ]
    assessments = Assessment.objects.filter(
        regions_filter(regions, country="country"), submitted_at__range=(start, end)
    )
    records += [
        PeriodRecord(
            on=day_of(assessment.submitted_at),  # type: ignore[arg-type]  # filtered non-null
            kind="assessment",
            title=f"{assessment.country_id} {assessment.year}",
            source=f"strategies.assessment:{assessment.pk}",
            clauses=("BDT-5", "MS-1"),
            countries=(assessment.country_id,),
        )
        for assessment in assessments
    ]
    profiles = CountryProfile.objects.select_related("assessment").filter(
        regions_filter(regions, country="assessment__country"),
        published_at__range=(start, end),
    )
    records += [
        PeriodRecord(
            on=day_of(profile.published_at),  # type: ignore[arg-type]  # filtered non-null
            kind="strategy_profile",
            title=f"{profile.assessment.country_id} {profile.assessment.year}",
            source=f"strategies.countryprofile:{profile.pk}",
            clauses=("MS-1", "MS-2"),
            countries=(profile.assessment.country_id,),
        )
        for profile in profiles
    ]
    return sorted(records, key=lambda record: (record.on, record.source))
