"""Publishing accepted practices to the resources hub, and readers' reports that hide a
published practice until BDT staff moderate it."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import override

from cophub.accounts.models import User
from cophub.portal.errors import InvalidInput
from cophub.resources.services import best_practice_page_create, content_hold, content_release

from ..errors import InvalidTransition
from ..models import Call, ReaderReport, Submission

if TYPE_CHECKING:  # a type only: practices publish through resources' services
    from cophub.resources.models import ResourcePage

MAX_REPORT_LENGTH = 2000


def _body(submission: Submission) -> str:
    """The hub page's text, with headings in the submission's own language."""
    sections = []
    with override(submission.original_language):
        for heading, text in (
            (_("Lessons learned"), submission.lessons_learned),
            (_("Suggested best practice"), submission.suggested_practice),
            (_("Evidence of impact"), submission.evidence_of_impact),
        ):
            if text:
                sections.append(f"<h2>{escape(heading)}</h2>{linebreaks(text, autoescape=True)}")
    return "".join(sections)


@transaction.atomic
def submission_publish(*, submission: Submission, user: User) -> "ResourcePage":
    """An accepted practice becomes a hub page in its original language, tagged with its
    clauses (its own and its category's) and region; it then enters the translation matrix."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not submission.state.publishable:
        raise InvalidTransition(_("Only accepted submissions are published."))
    if submission.call.phase != Call.Phase.PUBLICATION:
        raise InvalidTransition(_("The call has not reached its publication phase."))
    if submission.published_page_id is not None:
        raise InvalidTransition(_("This submission is already published."))
    clauses = set(submission.clauses.values_list("id", flat=True)) | set(
        submission.category.clauses
    )
    region = submission.region_id or (submission.country.region_id if submission.country else None)
    page = best_practice_page_create(
        language=submission.original_language,
        title=submission.title,
        summary=submission.abstract,
        body=_body(submission),
        slug=submission.reference.lower(),
        clauses=sorted(clauses),
        regions=[region] if region else [],
        licence="cc-by-4.0",
        attribution=submission.source_entity,
        practice_reference=submission.reference,
        user=user,
    )
    submission.published_page = page
    submission.save(update_fields=["published_page", "updated_at"])
    return page


@transaction.atomic
def report_create(*, submission: Submission, reason: str, message: str = "") -> ReaderReport:
    """A reader's report hides the practice at once, until staff moderate it."""
    errors = []
    if reason not in ReaderReport.Reason.values:
        errors.append({"field": "reason", "message": _("Choose a reason.")})
    if len(message) > MAX_REPORT_LENGTH:
        errors.append(
            {
                "field": "message",
                "message": _("At most %(count)s characters.") % {"count": MAX_REPORT_LENGTH},
            }
        )
    if errors:
        raise InvalidInput(details={"errors": errors})
    report = ReaderReport.objects.create(
        submission=submission, reason=reason, message=message.strip()
    )
    if submission.published_page is not None:
        content_hold(
            translation_key=submission.published_page.translation_key,
            reason=f"reader report {report.pk}",
        )
    return report


@transaction.atomic
def report_resolve(*, report: ReaderReport, user: User, decision: str) -> ReaderReport:
    """Upheld: the practice stays hidden. Dismissed: shown again once no report holds it."""
    if decision not in (ReaderReport.Status.UPHELD, ReaderReport.Status.DISMISSED):
        raise InvalidInput(details={"errors": [{"field": "decision", "message": _("Choose.")}]})
    if report.status != ReaderReport.Status.OPEN:
        raise InvalidTransition(_("This report has already been dealt with."))
    report.status = decision
    report.resolved_by = user
    report.resolved_at = timezone.now()
    report.save()
    submission = report.submission
    still_held = submission.reports.exclude(status=ReaderReport.Status.DISMISSED).exists()
    if not still_held and submission.published_page is not None:
        content_release(translation_key=submission.published_page.translation_key)
    return report
