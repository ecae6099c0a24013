"""Africa's Talking USSD callback.

The gateway posts a form (``sessionId``, ``serviceCode``, ``phoneNumber``, ``networkCode``,
``text`` = every input so far joined with ``*``) and shows the ``text/plain`` reply: ``CON …``
to go on, ``END …`` to close. A separate end-of-session notification (``status``,
``durationInMillis``, ``errorMessage``… and no ``text``) may arrive here or at ``…/events``: it
is accepted and ignored. A post without ``sessionId`` or ``phoneNumber`` is not a session
(400, as documented); anything that
can be answered gets an answer, never an error screen. Both URLs need the gateway's ``?token=``
(``callback_token``): without it, 403, which the gateway shows as a closed session."""

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone

from ..gateway import (
    GatewayPayloadError,
    accepted_response,
    bad_payload_response,
    required_field,
    wrong_method_response,
)
from ..replies import UssdRequest, ussd_answer
from .callback_token import at_callback

SESSION_EVENT_FIELDS = frozenset({"status", "durationInMillis", "errorMessage", "hopsCount"})


def ussd_request_parse(form: QueryDict) -> UssdRequest:
    """The neutral ``UssdRequest`` of an Africa's Talking callback form."""
    return UssdRequest(
        session_id=required_field(form, "sessionId"),
        phone_number=required_field(form, "phoneNumber"),
        history=(form.get("text") or "").strip(),
        service_code=(form.get("serviceCode") or "").strip(),
        network_code=(form.get("networkCode") or "").strip(),
    )


def ussd_is_session_event(form: QueryDict) -> bool:
    """An end-of-session notification rather than a step of the session."""
    return "text" not in form and bool(SESSION_EVENT_FIELDS & set(form))


@at_callback
def ussd_callback(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return wrong_method_response()
    if ussd_is_session_event(request.POST):
        return accepted_response()
    try:
        ussd = ussd_request_parse(request.POST)
    except GatewayPayloadError as error:
        return bad_payload_response(error)
    screen = ussd_answer(ussd, at=timezone.now())
    return HttpResponse(screen.reply(), content_type="text/plain; charset=utf-8")


@at_callback
def ussd_session_event(request: HttpRequest) -> HttpResponse:
    """The events callback: end-of-session notifications, accepted and ignored (not logged)."""
    if request.method != "POST":
        return wrong_method_response()
    return accepted_response()
