"""Errors of the statistics module, with stable codes (translated at the edge)."""

from django.utils.translation import gettext_lazy as _

from cophub.portal.errors import FileRejected, InvalidState


class WrongState(InvalidState):
    """The dataset is not in a state where this step is possible (e.g. publish a draft)."""

    default_message = _("This step is not possible in the dataset's current state.")


class UploadRejected(FileRejected):
    """A file was refused before anything was stored: wrong type, too large, unreadable."""

    default_message = _("The file was not accepted.")
