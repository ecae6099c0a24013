from django.utils.translation import gettext_lazy as _

from cophub.portal.errors import CopHubError


class BadParameter(CopHubError):
    """A query parameter is wrong; ``details["parameter"]`` names it."""

    code = "invalid_parameter"
    status = 400
    default_message = _("A parameter of the request is not valid.")

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message, details={"parameter": parameter})
