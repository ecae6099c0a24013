"""What the pages of every module share to turn service errors into HTTP answers and form
errors (the API turns the same errors into JSON in ``cophub.config.api``)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .errors import ActionForbidden, CopHubError, ObjectNotFound


def http_errors(error: CopHubError) -> None:
    """Raise the HTTP answer for an access error (404 or 403); other errors pass through."""
    if isinstance(error, ObjectNotFound):
        raise Http404 from error
    if isinstance(error, ActionForbidden):
        raise PermissionDenied(str(error.message)) from error


def _form_field(form: forms.Form, field: str | None) -> str | None:
    """The form field a service error names: ``countries[2]`` is the ``countries`` field."""
    if not field:
        return None
    if field in form.fields:
        return field
    base = field.split("[", 1)[0].split(".", 1)[0]
    return base if base in form.fields else None


def form_errors_from(form: forms.Form, error: CopHubError) -> None:
    """Put an error from a service on the fields it names (or on the whole form)."""
    problems = error.details.get("errors") or []
    if not problems or not any(problem.get("message") for problem in problems):
        form.add_error(None, str(error.message))
    for problem in problems:
        if problem.get("message"):
            form.add_error(_form_field(form, problem.get("field")), str(problem["message"]))
