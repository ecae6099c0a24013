"""Review: reviewers assigned by BDT staff, conflict-of-interest declarations, scores against
the rubric, internal notes, and resolving what safeguarding screening flagged."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.accounts.models import User
from cophub.portal.errors import InvalidInput

from ..access import user_is_reviewer
from ..errors import InvalidTransition, MissingFields
from ..models import (
    Criterion,
    InternalNote,
    ReviewerAssignment,
    Score,
    ScreeningFinding,
    Submission,
)

MAX_NOTE_LENGTH = 5000


def _error(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message}


@transaction.atomic
def reviewer_assign(*, submission: Submission, reviewer: User, by: User) -> ReviewerAssignment:
    if not submission.state.visible_to_reviewers or submission.state.is_final:
        raise InvalidTransition(_("Reviewers are assigned to submissions under review."))
    if not user_is_reviewer(reviewer):
        raise InvalidInput(
            _("%(user)s is not a reviewer.") % {"user": reviewer.get_username()},
            details={"errors": [_error("reviewer", _("Choose a user with the reviewer role."))]},
        )
    same_organisation = (
        submission.organisation_id is not None
        and reviewer.organisation_id == submission.organisation_id
    )
    if reviewer.pk == submission.author_id or same_organisation:
        raise InvalidInput(
            _("A reviewer from the submitting organisation has a conflict of interest."),
            details={
                "errors": [_error("reviewer", _("Choose someone from another organisation."))]
            },
        )
    assignment, _created = ReviewerAssignment.objects.get_or_create(
        submission=submission, reviewer=reviewer, defaults={"assigned_by": by}
    )
    return assignment


@transaction.atomic
def conflict_declare(*, assignment: ReviewerAssignment, conflict: bool, note: str = "") -> None:
    if assignment.conflict is not None:
        raise InvalidTransition(_("You have already made your declaration."))
    if conflict and not note.strip():
        raise MissingFields(
            _("Say briefly what the conflict of interest is."),
            details={"errors": [_error("note", _("This field is required."))]},
        )
    assignment.conflict = conflict
    assignment.conflict_note = note.strip()
    assignment.declared_at = timezone.now()
    assignment.save()


@transaction.atomic
def scores_record(
    *, assignment: ReviewerAssignment, scores: dict[str, int], comment: str = ""
) -> list[Score]:
    """Score every criterion of the rubric (replacing earlier scores), during evaluation."""
    if assignment.submission.state_id != "in_evaluation":
        raise InvalidTransition(_("Scores are given while the submission is in evaluation."))
    criteria = list(Criterion.objects.all())
    errors = []
    for criterion in criteria:
        value = scores.get(criterion.code)
        if value is None:
            errors.append(_error(criterion.code, _("This field is required.")))
        elif not isinstance(value, int) or not 0 <= value <= criterion.max_score:
            errors.append(
                _error(
                    criterion.code,
                    _("Give a score from 0 to %(max)s.") % {"max": criterion.max_score},
                )
            )
    unknown = set(scores) - {c.code for c in criteria}
    errors.extend(_error(code, _("Unknown criterion.")) for code in sorted(unknown))
    if errors:
        raise InvalidInput(_("Score every criterion of the rubric."), details={"errors": errors})
    assignment.scores.all().delete()
    saved = [
        Score.objects.create(assignment=assignment, criterion=c, value=scores[c.code])
        for c in criteria
    ]
    assignment.comment = comment.strip()
    assignment.save(update_fields=["comment"])
    return saved


def note_add(*, submission: Submission, author: User, text: str) -> InternalNote:
    text = text.strip()
    if not text or len(text) > MAX_NOTE_LENGTH:
        raise InvalidInput(
            details={
                "errors": [
                    _error(
                        "text",
                        _("Write a note of at most %(count)s characters.")
                        % {"count": MAX_NOTE_LENGTH},
                    )
                ]
            }
        )
    return InternalNote.objects.create(submission=submission, author=author, text=text)


@transaction.atomic
def finding_resolve(*, finding: ScreeningFinding, user: User, resolution: str) -> ScreeningFinding:
    if resolution not in ScreeningFinding.Resolution.values:
        raise InvalidInput(details={"errors": [_error("resolution", _("Unknown resolution."))]})
    if finding.resolution:
        raise InvalidTransition(_("This finding has already been resolved."))
    finding.resolution = resolution
    finding.resolved_by = user
    finding.resolved_at = timezone.now()
    finding.save()
    return finding
