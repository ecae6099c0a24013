"""Who is calling the API: the two ways in (a bearer token or the signed-in browser session),
``AUTHENTICATED`` for the operations that need either, and :func:`api_user`, the caller of such
an operation. Every app's router imports these from here (not from ``cophub.config.api``, which
imports the routers: that was an import cycle through every app)."""

from typing import TYPE_CHECKING, Any, cast

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from cophub.portal.errors import CsrfFailed, FieldErrors

if TYPE_CHECKING:
    from cophub.accounts.models import User


class BearerToken(HttpBearer):
    """The token was checked by ``api_token_middleware``; this declares it in OpenAPI."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return getattr(request, "api_token_user", None)


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; CSRF is checked for unsafe methods of signed-in users
    only, so a request with neither token nor session is 401 (as documented), not 403."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        if not (request.user.is_authenticated and request.user.is_active):
            return None
        try:
            return super()._get_key(request)
        except HttpError as refused:
            raise CsrfFailed() from refused

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated and request.user.is_active:
            return request.user
        return None


AUTHENTICATED = [BearerToken(), SessionAuth()]


def api_user(request: HttpRequest) -> "User":
    """The signed-in caller of an operation declared with ``auth=AUTHENTICATED`` (Ninja has
    refused the request with 401 before the operation runs when there is none)."""
    return cast("User", request.auth)  # type: ignore[attr-defined]


def page_user(request: HttpRequest) -> "User":
    """The signed-in user of a page behind ``login_required``."""
    return cast("User", request.user)


def api_language(lang: str | None) -> str:
    """The ``lang`` query parameter of every API operation that takes one: one of the six UI
    languages, or the request's language when absent; anything else is refused with 422
    naming ``lang`` (it was 422 in one app and silently English in another)."""
    if lang is None:
        return get_language() or "en"
    errors = FieldErrors()
    errors.add_unless_language("lang", lang)
    errors.raise_if_any()
    return lang
