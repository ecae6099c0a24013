from django.utils.translation import gettext_lazy as _

from cophub.portal.errors import CopHubError, InvalidState


class BadParameter(CopHubError):
    """A query parameter is wrong; ``details["parameter"]`` names it."""

    code = "invalid_parameter"
    status = 400
    default_message = _("A parameter of the request is not valid.")

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message, details={"parameter": parameter})


class LinkRefused(CopHubError):
    """A verification link that cannot be used; ``details["reason"]`` is ``invalid``,
    ``expired``, ``replaced`` or ``used``."""

    code = "link_refused"
    status = 410
    default_message = _("This link can no longer be used.")

    def __init__(self, reason: str) -> None:
        super().__init__(details={"reason": reason})


class ReviewClosed(InvalidState):
    code = "invalid_state"
    default_message = _("This change was already reviewed.")
