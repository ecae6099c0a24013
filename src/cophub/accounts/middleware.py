"""API tokens: ``Authorization: Bearer <token>`` signs the request in as the token's user,
before the audit middleware runs, so changes made through the API carry their actor. A demo
account's token signs nobody in outside demo mode (``access.username_may_sign_in``)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import access
from .services import api_token_authenticate


def api_token_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        scheme, _space, token = header.partition(" ")
        if scheme.lower() == "bearer" and token and request.path.startswith("/api/"):
            user = api_token_authenticate(token.strip())
            if user is not None and access.username_may_sign_in(user.username):
                request.user = user
                request.api_token_user = user  # type: ignore[attr-defined]
        return get_response(request)

    return middleware
