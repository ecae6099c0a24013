"""The shared secret of the Africa's Talking callbacks.

Africa's Talking does not sign its callbacks, so each callback URL registered with the gateway
carries a secret: ``https://<host>/channels/ussd/africastalking?token=<AT_CALLBACK_TOKEN>``.
Every Africa's Talking view (USSD steps and events, inbound SMS, delivery reports) answers 403
— and sends nothing — unless ``token`` equals ``AT_CALLBACK_TOKEN`` (compared in constant
time). With no token configured the callbacks are refused too, except in demo mode with the
recording SMS client, where nothing can leave the machine (so ``make demo`` works as it is);
the system check ``cophub.helplines.E001`` fails ``check --deploy`` when the Africa's Talking
client is on and no token is set."""

import hmac
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from ..gateway import forbidden_response

View = Callable[[HttpRequest], HttpResponse]


def at_callbacks_open_without_token() -> bool:
    """Demo mode with the recording client: callbacks need no token when none is set."""
    return bool(settings.COPHUB_DEMO) and settings.COPHUB_SMS_CLIENT == "recording"


def at_callback_token_valid(request: HttpRequest) -> bool:
    """Whether the request's ``?token=`` is ``AT_CALLBACK_TOKEN`` (see the module docstring)."""
    expected = settings.AT_CALLBACK_TOKEN
    if not expected:
        return at_callbacks_open_without_token()
    given = request.GET.get("token", "")
    return hmac.compare_digest(given.encode(), expected.encode())


def at_callback(view: View) -> View:
    """An Africa's Talking callback view: CSRF-exempt (the gateway has no CSRF token; the shared
    secret authenticates it) and 403 before anything else without the right token."""

    @wraps(view)
    def checked(request: HttpRequest) -> HttpResponse:
        if not at_callback_token_valid(request):
            return forbidden_response("token")
        return view(request)

    return csrf_exempt(checked)
