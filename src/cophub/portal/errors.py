"""Typed errors with stable codes. Raised anywhere; turned into a translated response (the
API's ``{"code", "message", "details"}`` shape, or an HTML page) only at the edge."""

from typing import Any, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class CopHubError(Exception):
    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400
    default_message: ClassVar[str | Promise] = _("The request could not be completed.")

    def __init__(
        self, message: str | Promise | None = None, details: dict[str, Any] | None = None
    ) -> None:
        self.message = message if message is not None else self.default_message
        self.details = details or {}
        super().__init__(str(self.message))


class ObjectNotFound(CopHubError):
    code = "not_found"
    status = 404
    default_message = _("Not found.")


class ActionForbidden(CopHubError):
    code = "forbidden"
    status = 403
    default_message = _("You are not allowed to do this.")


class CsrfFailed(ActionForbidden):
    code = "csrf_failed"
    default_message = _(
        "The CSRF check failed: send the value of the csrftoken cookie in the X-CSRFToken header."
    )


class InvalidInput(CopHubError):
    code = "validation_error"
    status = 422
    default_message = _("The data sent is not valid.")


class InvalidState(CopHubError):
    """The object is not in a state that allows this (a closed meeting, a published dataset, a
    submission already decided…): one code, ``invalid_state``, in every app; each app's
    subclass says it in its own words."""

    code = "invalid_state"
    status = 409
    default_message = _("This cannot be done in the current state.")


class FileRejected(InvalidInput):
    """An uploaded file was refused before anything was stored (type, size, content): one
    code, ``file_rejected``, in every app; ``details`` says which field and why."""

    code = "file_rejected"
    default_message = _("The file was refused.")


class FieldErrors:
    """Collects errors by field path, then raises them together as one ``InvalidInput``."""

    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []

    def add(self, field: str, message: str, code: str = "invalid") -> None:
        self.errors.append({"field": field, "code": code, "message": message})

    def add_unless_language(self, field: str, language: str | None) -> None:
        """An error on ``field`` unless ``language`` is one of the six UI languages."""
        from cophub.reference.languages import UI_LANGUAGE_CODES

        if language not in UI_LANGUAGE_CODES:
            self.add(
                field,
                str(
                    _("Choose one of the languages: %(languages)s.")
                    % {"languages": ", ".join(UI_LANGUAGE_CODES)}
                ),
                "invalid_language",
            )

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self, message: str | None = None) -> None:
        if self.errors:
            raise InvalidInput(message, details={"errors": self.errors})
