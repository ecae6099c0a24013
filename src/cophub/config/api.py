"""The JSON API under /api/v1/: one NinjaAPI, one error shape ``{"code", "message", "details"}``.

Authentication: ``Authorization: Bearer <token>`` for machine clients, or the browser session
(with CSRF) for pages. Routers live in each app's ``api.py``."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from cophub.portal.api_validation import translated_problems
from cophub.portal.errors import CopHubError

api = NinjaAPI(
    title="COP Hub API",
    version="1",
    description="Child online protection platform (ITU Resolution 67).",
    urls_namespace="api",
    auth=None,
)


def error_response(
    request: HttpRequest,
    *,
    code: str,
    message: str,
    status: int,
    details: dict[str, Any] | None = None,
) -> HttpResponse:
    return api.create_response(
        request, {"code": code, "message": message, "details": details or {}}, status=status
    )


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(
        request,
        code="validation_error",
        message=_("The data sent is not valid."),
        status=422,
        details={"errors": translated_problems(exc.errors)},
    )


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        request,
        code="unauthenticated",
        message=_("A valid API token or a signed-in session is needed."),
        status=401,
    )


@api.exception_handler(CopHubError)
def _cophub_error(request: HttpRequest, exc: CopHubError) -> HttpResponse:
    return error_response(
        request, code=exc.code, message=str(exc.message), status=exc.status, details=exc.details
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, code="not_found", message=_("Not found."), status=404)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {403: "forbidden", 404: "not_found", 405: "method_not_allowed", 429: "throttled"}.get(
        exc.status_code, "error"
    )
    return error_response(request, code=code, message=str(exc.message), status=exc.status_code)


def _register_routers() -> None:
    from cophub.accounts.api import router as accounts_router
    from cophub.coordination.api import router as coordination_router
    from cophub.helplines.api import router as helplines_router
    from cophub.helplines.coverage_api import router as coverage_router
    from cophub.helplines.numbers_api import router as numbers_router
    from cophub.helplines.verification.api import router as verification_router
    from cophub.practices.api import router as practices_router
    from cophub.reference.api import router as reference_router
    from cophub.resources.api import router as resources_router
    from cophub.statistics.api import router as statistics_router
    from cophub.strategies.api import router as strategies_router

    api.add_router("/reference/", reference_router)
    api.add_router("/helplines/coverage", coverage_router)
    api.add_router("/helplines/verification", verification_router)
    api.add_router("/helplines", helplines_router)
    api.add_router("/numbers", numbers_router)
    api.add_router("/strategies/", strategies_router)
    api.add_router("/statistics/", statistics_router)
    api.add_router("/resources/", resources_router)
    api.add_router("/practices/", practices_router)
    api.add_router("/coordination/", coordination_router)
    api.add_router("/", accounts_router)


_register_routers()
