"""Errors of the strategies module, with stable codes (see ``cophub.portal.errors``)."""

from django.utils.translation import gettext_lazy as _

from cophub.portal.errors import FieldErrors, InvalidState

__all__ = ["FieldErrors"]  # kept here for the module's callers; defined in portal


class AssessmentLocked(InvalidState):
    """A change to a submitted assessment: the focal point must reopen it first (409
    ``invalid_state``, as every app's wrong state)."""

    default_message = _(
        "This assessment has been submitted and can no longer be changed. Ask the focal point "
        "to reopen it first."
    )
