"""Errors of the resources hub, each with a stable code; messages are translated at the edge."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from cophub.portal import errors as portal_errors
from cophub.portal.errors import CopHubError, InvalidInput, InvalidState


class TranslationFileInvalid(InvalidInput):
    code = "invalid_translation_file"
    default_message = _("The translation file could not be read.")


class SourceChanged(CopHubError):
    """The file was exported from an older source than the one published now."""

    code = "source_changed"
    status = 409
    default_message = _("The source changed after this file was exported.")


class TranslationStateError(InvalidState):
    default_message = _("This cannot be done in the translation's current state.")


class NotApplicable(CopHubError):
    code = "not_applicable"
    status = 400
    default_message = _("This action does not apply to this kind of item.")


class FileRejected(portal_errors.FileRejected):
    """An uploaded file was refused; ``details`` names the field and the reason."""

    def __init__(self, message: Any, *, field: str, reason: str) -> None:
        super().__init__(message, details={"field": field, "reason": reason})
