"""Errors of the strategies module, with stable codes (see ``cophub.portal.errors``)."""

from django.utils.translation import gettext_lazy as _

from cophub.portal.errors import CopHubError, FieldErrors

__all__ = ["FieldErrors"]  # kept here for the module's callers; defined in portal


class AssessmentLocked(CopHubError):
    """A change to a submitted assessment: the focal point must reopen it first."""

    code = "assessment_locked"
    status = 409
    default_message = _(
        "This assessment has been submitted and can no longer be changed. Ask the focal point "
        "to reopen it first."
    )
