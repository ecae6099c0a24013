"""Errors of the best-practice module, each with a stable code."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from cophub.portal.errors import FileRejected, InvalidInput, InvalidState


class CallClosed(InvalidState):
    """The call is not open for submissions (409 ``invalid_state``)."""

    default_message = _("This call is not open for submissions.")


class InvalidTransition(InvalidState):
    default_message = _("The submission cannot move to this state now.")


class AttachmentRejected(FileRejected):
    """``details.reason``: image_not_allowed, embedded_images, type_not_allowed, too_large,
    invalid_file or empty."""

    def __init__(self, message: Any, *, reason: str) -> None:
        super().__init__(message, details={"field": "file", "reason": reason})


class MissingFields(InvalidInput):
    """``details.errors`` lists each missing field (422 ``validation_error``, as any invalid
    input)."""

    default_message = _("Some required fields are empty.")
