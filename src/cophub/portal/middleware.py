"""Middleware every request passes: the text policy on what comes in, and headers that keep
public pages from talking to anyone but this site."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .errors import FieldErrors, InvalidInput
from .text_policy import json_parse, numbers_check, texts_check

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

# Everything a page loads comes from this site: no fonts, scripts, images or beacons from
# third parties, so a visit leaves no trace with anyone else.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def no_third_party_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "interest-cohort=(), geolocation=()")
        return response

    return middleware


def text_policy_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Refuse a request whose path, parameters, form fields or JSON body break the text policy
    (``text_policy``), before any view or service sees it: 422 in the API's error shape under
    /api/, a translated page naming the fields elsewhere."""

    def middleware(request: HttpRequest) -> HttpResponse:
        try:
            _request_check(request)
        except InvalidInput as refused:
            return _refusal(request, refused)
        return get_response(request)

    return middleware


def _request_check(request: HttpRequest) -> None:
    errors = FieldErrors()
    texts_check([("path", request.path_info)], errors)
    parameters = [(key, value) for key, values in request.GET.lists() for value in values]
    texts_check(parameters, errors)
    if request.path.startswith("/api/"):
        numbers_check(parameters, errors)
        numbers_check((("path", segment) for segment in request.path.split("/")), errors)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        if request.content_type in FORM_TYPES:
            fields = request.POST.lists()
            texts_check(((key, value) for key, values in fields for value in values), errors)
            uploads = request.FILES.lists()
            texts_check(((key, f.name or "") for key, files in uploads for f in files), errors)
        elif _is_json(request.content_type) and request.body:
            json_parse(request.body)
    errors.raise_if_any()


def _is_json(content_type: str | None) -> bool:
    return bool(content_type) and (
        content_type == "application/json" or content_type.endswith("+json")  # type: ignore[union-attr]
    )


def _refusal(request: HttpRequest, refused: InvalidInput) -> HttpResponse:
    from .views import error_answer

    api = request.path.startswith("/api/")
    message = (
        str(refused.message)
        if api or request.path.startswith("/channels/")
        else _("The request holds text that cannot be accepted.")
    )
    # 422 with the field paths in the API, as its other validation errors; a plain 400 for
    # pages and gateways.
    status = refused.status if api else 400
    return error_answer(
        request, code=refused.code, message=message, status=status, details=refused.details
    )
