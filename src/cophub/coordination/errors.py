"""Errors of the coordination module, each with a stable code (see ``cophub.portal.errors``)."""

from django.utils.translation import gettext_lazy as _

from cophub.portal.errors import CopHubError


class WrongState(CopHubError):
    """The object is not in a state that allows this (a closed meeting, a sent statement…)."""

    code = "wrong_state"
    status = 409
    default_message = _("This cannot be done in the current state.")
