"""Reads of the best-practice module: lists by role, versions and their diffs, scores."""

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Avg, Count, Model, QuerySet

from cophub.accounts.access import AnyUser
from cophub.portal.errors import ObjectNotFound
from cophub.portal.records import Period, PeriodRecord, day_of, regions_filter
from cophub.reference.models import Clause, Country

from .access import submissions_visible_to
from .diffs import FieldDiff, content_diff
from .models import Criterion, ReviewState, Score, Submission, SubmissionVersion


def submission_list(
    user: AnyUser, *, scope: str = "all", state: str | None = None
) -> QuerySet[Submission]:
    """``mine`` (authored), ``assigned`` (to review) or ``all`` visible to the user."""
    submissions = submissions_visible_to(user)
    if scope == "mine":
        submissions = submissions.filter(author_id=user.pk)
    elif scope == "assigned":
        submissions = submissions.filter(assignments__reviewer_id=user.pk)
    if state:
        submissions = submissions.filter(state_id=state)
    return submissions.prefetch_related("clauses").order_by("-created_at", "-pk")


@dataclass(frozen=True)
class VersionDiff:
    version: SubmissionVersion
    previous: SubmissionVersion | None
    fields: list[FieldDiff]


def version_diff(submission: Submission, number: int) -> VersionDiff:
    """Version ``number`` against the one before it (the first against nothing)."""
    versions = {v.number: v for v in submission.versions.filter(number__in=[number - 1, number])}
    version = versions.get(number)
    if version is None:
        raise ObjectNotFound()
    previous = versions.get(number - 1)
    return VersionDiff(
        version, previous, content_diff(previous.content if previous else {}, version.content)
    )


@dataclass(frozen=True)
class CriterionScore:
    criterion: Criterion
    average: float | None
    count: int


def scores_summary(submission: Submission) -> list[CriterionScore]:
    """Average score per criterion over the reviewers without conflict of interest."""
    rows = {
        row["criterion_id"]: row
        for row in Score.objects.filter(
            assignment__submission=submission, assignment__conflict=False
        )
        .values("criterion_id")
        .annotate(average=Avg("value"), count=Count("pk"))
    }
    return [
        CriterionScore(
            criterion,
            rows[criterion.code]["average"] if criterion.code in rows else None,
            rows[criterion.code]["count"] if criterion.code in rows else 0,
        )
        for criterion in Criterion.objects.all()
    ]


# Every model ``records_in_period`` reads (the countries only when regions are chosen):
# coordination refreshes its summaries after their rows change, and only theirs. The states
# say which submissions are published; the clauses' through table is their many-to-many.
PERIOD_RECORD_MODELS: tuple[type[Model], ...] = (
    Submission,
    ReviewState,
    Submission.clauses.through,
    Clause,
    Country,
)


def records_in_period(
    *, period: Period, regions: Collection[str] | None = None
) -> list[PeriodRecord]:
    """For reports (decision 0025): best practices published in the period, on the day their
    publication was decided, with the clauses they serve and BDT-3. Two queries."""
    start, end = period.instants()
    published = (
        Submission.objects.filter(
            regions_filter(regions, region="region", country="country"),
            state__publishable=True,
            decided_at__range=(start, end),
        )
        .prefetch_related("clauses")
        .order_by("decided_at", "pk")
    )
    return [
        PeriodRecord(
            on=day_of(submission.decided_at),  # type: ignore[arg-type]  # filtered non-null
            kind="best_practice",
            title=submission.title,
            source=f"practices.submission:{submission.pk}",
            clauses=tuple(sorted({c.pk for c in submission.clauses.all()} | {"BDT-3"})),
            countries=(submission.country_id,) if submission.country_id else (),
            region=submission.region_id,
        )
        for submission in published
    ]
