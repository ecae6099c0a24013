from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import get_language_from_path, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cophub.reference.selectors import clause_list

from .errors import ObjectNotFound
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


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _api_error("server_error", gettext("Server error"), 500)
    return render(request, "errors/500.html", status=500)
