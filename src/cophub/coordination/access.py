"""Who may do what in coordination. BDT staff and regional officers record activities and
compile reports (a regional officer for the regions they serve); the chair of a meeting and
BDT staff manage the meeting (agenda, outcome, publishing documents, fellowships); any
signed-in member of an organisation registers and submits documents for it; everyone sees
published documents, approved reports and the implementation view."""

from cophub.accounts.access import AnyUser, user_has_role, user_is_bdt_staff
from cophub.accounts.models import Role
from cophub.portal.errors import ActionForbidden, ObjectNotFound

from .models import Document, Meeting, Report


def user_is_secretariat(user: AnyUser) -> bool:
    """BDT staff, or a regional officer of any region."""
    return user_is_bdt_staff(user) or user_has_role(user, Role.REGIONAL_OFFICER)


def require_secretariat(user: AnyUser) -> None:
    if not user_is_secretariat(user):
        raise ActionForbidden()


def require_region(user: AnyUser, region_code: str | None) -> None:
    """Recording for a region: its regional officer or BDT staff (all regions: BDT only)."""
    if user_is_bdt_staff(user):
        return
    if region_code is None or not user_has_role(
        user, Role.REGIONAL_OFFICER, region_code=region_code
    ):
        raise ActionForbidden()


def user_manages_meeting(user: AnyUser, meeting: Meeting) -> bool:
    if user_is_bdt_staff(user):
        return True
    return user.is_authenticated and meeting.chair_id == user.pk


def require_meeting_manager(user: AnyUser, meeting: Meeting) -> None:
    if not user_manages_meeting(user, meeting):
        raise ActionForbidden()


def require_delegate(user: AnyUser) -> None:
    """Registering and submitting need a signed-in user who belongs to an organisation."""
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
        raise ActionForbidden()


def document_visible(user: AnyUser, document: Document) -> bool:
    if document.status == Document.Status.PUBLISHED:
        return True
    if user_manages_meeting(user, document.meeting) or user_is_secretariat(user):
        return True
    return user.is_authenticated and (
        document.submitted_by_id == user.pk
        or (
            document.organisation_id is not None
            and document.organisation_id == user.organisation_id
        )
    )


def access_document(user: AnyUser, document: Document) -> Document:
    if not document_visible(user, document):
        raise ObjectNotFound()
    return document


def report_visible(user: AnyUser, report: Report) -> bool:
    return report.status == Report.Status.APPROVED or user_is_secretariat(user)


def access_report(user: AnyUser, report: Report) -> Report:
    if not report_visible(user, report):
        raise ObjectNotFound()
    return report
