from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import get_language_from_path, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cophub.reference.selectors import clause_list

from .errors import ActionForbidden, ObjectNotFound
from .modules import AUDIENCES, modules_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    audiences = [
        {"key": key, "title": title, "summary": summary, "modules": modules_for(key)}
        for key, title, summary in AUDIENCES
    ]
    return render(request, "portal/home.html", {"audiences": audiences})


@require_GET
def resolution(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/resolution.html", {"clauses": clause_list()})


class SeeOther(HttpResponseRedirectBase):
    status_code = 303
    allowed_schemes = ["https", "http"]


# The mark the quick exit leaves: "left through the quick exit", nothing else (no identifier).
# Pages that come back through the Back button within this time hide and leave again
# (quick-exit.js); a page opened on purpose removes it. A cookie, because Clear-Site-Data
# "storage" empties localStorage and sessionStorage.
QUICK_EXIT_MARK = "cophub_left"
QUICK_EXIT_MARK_SECONDS = 1800


@never_cache
def quick_exit(request: HttpRequest) -> HttpResponse:
    """Leave for the neutral site (``COPHUB_QUICK_EXIT_URL``) with ``303 See Other``, telling
    the browser to clear this site's cache and storage (``Clear-Site-Data``) first. The quick
    exit button is a plain link here, so it works without JavaScript too."""
    response = SeeOther(str(settings.COPHUB_QUICK_EXIT_URL))
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    response.headers["Referrer-Policy"] = "no-referrer"
    response.set_cookie(
        QUICK_EXIT_MARK,
        "1",
        max_age=QUICK_EXIT_MARK_SECONDS,
        path="/",
        samesite="Strict",
        secure=request.is_secure(),
    )
    return response


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up; touches no database."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """The database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means "not ready"
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _api_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "details": {}}, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """JSON in the API's error shape under /api/; otherwise a page in the language of the
    path, or in the default language when the path has no known language prefix."""
    if request.path.startswith("/api/"):
        return _api_error(ObjectNotFound.code, str(ObjectNotFound.default_message), 404)
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        request.LANGUAGE_CODE = language
        return render(request, "errors/404.html", status=404)


def error_answer(
    request: HttpRequest,
    *,
    code: str,
    message: str,
    status: int,
    details: dict[str, Any] | None = None,
) -> HttpResponse:
    """An error in the form its caller reads: the API's JSON shape under /api/, plain text for
    the SMS/USSD gateways under /channels/, a page in the path's language elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": code, "message": message, "details": details or {}}, status=status
        )
    if request.path.startswith("/channels/"):
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        request.LANGUAGE_CODE = language
        problems = (details or {}).get("errors", [])
        return render(
            request, "errors/400.html", {"message": message, "problems": problems}, status=status
        )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400s (a body over the size limit, too many fields, a malformed upload) in the
    same shapes as every other error."""
    if isinstance(exception, RequestDataTooBig):
        return error_answer(
            request,
            code="too_large",
            message=gettext("The request is larger than the server accepts."),
            status=413,
        )
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return error_answer(
            request,
            code="too_many_fields",
            message=gettext("The request has more fields or files than the server accepts."),
            status=400,
        )
    return error_answer(
        request,
        code="bad_request",
        message=gettext("The request could not be understood."),
        status=400,
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 with the reason the refusal gave (``page_errors`` turns ``ActionForbidden`` into
    ``PermissionDenied`` carrying its message), in the same shapes as every other error."""
    reason = str(exception) if exception is not None and str(exception) else ""
    if request.path.startswith("/api/"):
        return _api_error(ActionForbidden.code, reason or str(ActionForbidden.default_message), 403)
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        request.LANGUAGE_CODE = language
        message = reason or str(ActionForbidden.default_message)
        return render(request, "errors/403.html", {"message": message}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _api_error("server_error", gettext("Server error"), 500)
    return render(request, "errors/500.html", status=500)
