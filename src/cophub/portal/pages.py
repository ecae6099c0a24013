"""What the pages of every module share to turn service errors into HTTP answers and form
errors (the API turns the same errors into JSON in ``cophub.config.api``).

:func:`page_errors` is the one way a page turns an error it did not handle into an answer:
every app's views use it (decision 0026)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseRedirect

from .errors import ActionForbidden, CopHubError, ObjectNotFound
from .views import error_answer

View = Callable[..., HttpResponseBase]


def error_text(error: CopHubError) -> str:
    """The message of an error and of the problems it lists, as one line for a page."""
    problems = [
        str(p.get("message")) for p in error.details.get("errors") or [] if p.get("message")
    ]
    return " ".join([str(error.message), *problems])


def page_errors(view: View) -> View:
    """Typed errors a page view lets through become answers, alike in every app: cannot see →
    404 (``ObjectNotFound``), cannot do → 403 with the reason (``ActionForbidden``). Any other
    ``CopHubError`` (an invalid state, invalid input a form did not catch) is shown as a
    message: after a POST on the page the user came from (redirect to the same address, so a
    reload does not post again), after a GET as the 400 page naming the problem."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except CopHubError as error:
            http_errors(error)
            if request.method == "POST":
                messages.error(request, error_text(error))
                return HttpResponseRedirect(request.get_full_path())
            return error_answer(
                request,
                code=error.code,
                message=str(error.message),
                status=400 if error.status >= 500 else error.status,
                details=error.details,
            )

    return wrapped


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
