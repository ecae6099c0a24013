"""Errors of the strategies module, with stable codes (see ``cophub.portal.errors``)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from cophub.portal.errors import CopHubError, InvalidInput


class AssessmentLocked(CopHubError):
    """A change to a submitted assessment: the focal point must reopen it first."""

    code = "assessment_locked"
    status = 409
    default_message = _(
        "This assessment has been submitted and can no longer be changed. Ask the focal point "
        "to reopen it first."
    )


class FieldErrors:
    """Collects errors by field path, then raises them together as one ``InvalidInput``."""

    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []

    def add(self, field: str, message: str, code: str = "invalid") -> None:
        self.errors.append({"field": field, "code": code, "message": message})

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self, message: str | None = None) -> None:
        if self.errors:
            raise InvalidInput(message, details={"errors": self.errors})
