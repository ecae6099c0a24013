"""Who may do what with calls and submissions. Authors see and edit their own drafts;
reviewers see what they are assigned (and score once they declared no conflict of interest);
BDT staff run the calls, screening, decisions and publication. ``ObjectNotFound`` when the user
may not see the object, ``ActionForbidden`` when they may see it but not do this."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cophub.accounts.access import AnyUser, user_has_role, user_is_bdt_staff
from cophub.accounts.models import Role, User
from cophub.portal.errors import ActionForbidden, ObjectNotFound

from .models import Call, ReaderReport, ReviewerAssignment, Submission


def calls_visible_to(user: AnyUser) -> QuerySet[Call]:
    calls = Call.objects.select_related("region")
    if user_is_bdt_staff(user):
        return calls
    return calls.exclude(phase=Call.Phase.ANNOUNCED)


def access_call(user: AnyUser, call_id: int) -> Call:
    call = calls_visible_to(user).filter(pk=call_id).first()
    if call is None:
        raise ObjectNotFound()
    return call


def access_calls_for_management(user: AnyUser) -> None:
    if not user_is_bdt_staff(user):
        raise ActionForbidden()


def access_call_for_management(user: AnyUser, call_id: int) -> Call:
    call = access_call(user, call_id)
    access_calls_for_management(user)
    return call


def access_call_for_submission(user: AnyUser, call_id: int) -> Call:
    """Members of an eligible kind of organisation (or an invited one), of the call's region
    when it has one. Whether the call is open is checked when submitting."""
    call = access_call(user, call_id)
    if not user.is_authenticated:
        raise ActionForbidden(_("Sign in to submit a practice."))
    if user_is_bdt_staff(user):
        return call
    organisation = user.organisation
    if organisation is None:
        raise ActionForbidden(_("Only members of an organisation may submit."))
    invited = call.invited.filter(pk=organisation.pk).exists()
    if organisation.kind not in call.eligible_kinds and not invited:
        raise ActionForbidden(_("This call is not open to your kind of organisation."))
    if call.region_id is not None and not invited:
        region = organisation.region_id or (
            organisation.country.region_id if organisation.country else None
        )
        if region != call.region_id:
            raise ActionForbidden(_("This call is open to another region."))
    return call


def submissions_visible_to(user: AnyUser) -> QuerySet[Submission]:
    """BDT staff: all. Others: their own, and those they are assigned to review once the
    submission has reached the reviewers."""
    submissions = Submission.objects.select_related("state", "call", "category", "author")
    if user_is_bdt_staff(user):
        return submissions
    if not user.is_authenticated or not user.is_active:
        return submissions.none()
    return submissions.filter(
        Q(author=user) | Q(assignments__reviewer=user, state__visible_to_reviewers=True)
    ).distinct()


def access_submission(user: AnyUser, reference: str) -> Submission:
    submission = submissions_visible_to(user).filter(reference=reference).first()
    if submission is None:
        raise ObjectNotFound()
    return submission


def user_is_author(user: AnyUser, submission: Submission) -> bool:
    return user.is_authenticated and submission.author_id == user.pk


def access_submission_for_edit(user: AnyUser, reference: str) -> Submission:
    """Authors while their state allows it; BDT staff always (e.g. to remove personal data)."""
    submission = access_submission(user, reference)
    if user_is_bdt_staff(user):
        return submission
    if not user_is_author(user, submission):
        raise ActionForbidden()
    if not submission.state.author_can_edit:
        raise ActionForbidden(_("The submission cannot be edited in its current state."))
    return submission


def submission_actors(user: AnyUser, submission: Submission) -> set[str]:
    """The workflow roles ``user`` holds for ``submission`` (see ``ReviewTransition.actor``)."""
    actors = set()
    if user_is_author(user, submission):
        actors.add("author")
    if user_is_bdt_staff(user):
        actors.add("staff")
    return actors


def access_submission_for_transition(user: AnyUser, reference: str) -> tuple[Submission, set[str]]:
    submission = access_submission(user, reference)
    actors = submission_actors(user, submission)
    if not actors:
        raise ActionForbidden()
    return submission, actors


def access_submission_for_staff(user: AnyUser, reference: str) -> Submission:
    submission = access_submission(user, reference)
    if not user_is_bdt_staff(user):
        raise ActionForbidden()
    return submission


def access_assignment(user: AnyUser, reference: str) -> ReviewerAssignment:
    """The user's own assignment to this submission."""
    submission = access_submission(user, reference)
    assignment = submission.assignments.filter(reviewer_id=user.pk).first()
    if assignment is None:
        raise ActionForbidden()
    return assignment


def access_assignment_for_scoring(user: AnyUser, reference: str) -> ReviewerAssignment:
    assignment = access_assignment(user, reference)
    if assignment.conflict is None:
        raise ActionForbidden(_("Declare whether you have a conflict of interest first."))
    if assignment.conflict:
        raise ActionForbidden(_("You declared a conflict of interest for this submission."))
    return assignment


def user_may_read_notes(user: AnyUser, submission: Submission) -> bool:
    if user_is_bdt_staff(user):
        return True
    return submission.assignments.filter(reviewer_id=user.pk, conflict=False).exists()


def access_notes(user: AnyUser, reference: str) -> Submission:
    submission = access_submission(user, reference)
    if not user_may_read_notes(user, submission):
        raise ActionForbidden()
    return submission


def reviewers() -> QuerySet[User]:
    """Active users holding the reviewer role: whom the staff's form offers to assign."""
    return User.objects.filter(role_assignments__role=Role.REVIEWER, is_active=True).distinct()


def user_is_reviewer(user: User) -> bool:
    """Whether a submission may be assigned to ``user`` for review."""
    return user.is_active and user_has_role(user, Role.REVIEWER)


def user_manages_reviews(user: AnyUser) -> bool:
    """BDT staff run the review: every assignment and the average scores are theirs to see,
    and the pages show them the staff's forms."""
    return user_is_bdt_staff(user)


def user_may_review(user: AnyUser) -> bool:
    return user_has_role(user, Role.REVIEWER)


def access_reports_for_moderation(user: AnyUser) -> QuerySet[ReaderReport]:
    if not user_is_bdt_staff(user):
        raise ActionForbidden()
    return ReaderReport.objects.select_related("submission")


def access_report_for_moderation(user: AnyUser, report_id: int) -> ReaderReport:
    report = access_reports_for_moderation(user).filter(pk=report_id).first()
    if report is None:
        raise ObjectNotFound()
    return report


def access_published_submission(reference: str) -> Submission:
    """Anyone may report a published practice."""
    submission = Submission.objects.filter(reference=reference, published_page__isnull=False)
    found = submission.select_related("published_page").first()
    if found is None:
        raise ObjectNotFound()
    return found
