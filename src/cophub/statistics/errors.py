"""Errors of the statistics module, with stable codes (translated at the edge)."""

from django.utils.translation import gettext_lazy as _

from cophub.portal.errors import CopHubError


class WrongState(CopHubError):
    """The dataset is not in a state where this step is possible (e.g. publish a draft)."""

    code = "invalid_state"
    status = 409
    default_message = _("This step is not possible in the dataset's current state.")


class UploadRejected(CopHubError):
    """A file was refused before anything was stored: wrong type, too large, unreadable."""

    code = "upload_rejected"
    status = 422
    default_message = _("The file was not accepted.")
