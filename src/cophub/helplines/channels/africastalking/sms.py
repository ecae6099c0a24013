"""Africa's Talking two-way SMS.

Inbound messages arrive as a form (``id``, ``text``, ``from``, ``to``, ``date``, optional
``linkId``); the reply is not in the response but sent through the outbound client, with
``from`` set to ``AT_SMS_SENDER`` or the short code the child wrote to. The webhook gets its 200
at once. A delivery report (``id``, ``status``, no ``from``) is accepted and ignored. The same
``id`` delivered twice is answered once.

Both URLs need the gateway's ``?token=`` (``callback_token``: 403 and nothing sent without it).
The reply is an SMS the platform pays for, so it is sent only within the limits of
``channels.limits``; over a limit the webhook still gets its 200 (the gateway must not retry)
and nothing is sent."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone

from ..gateway import (
    GatewayPayloadError,
    accepted_response,
    bad_payload_response,
    required_field,
    wrong_method_response,
)
from ..limits import sms_quota_take
from ..outbound import OutboundSms, sms_send
from ..replies import InboundSms, country_from_phone, sms_answer
from ..sessions import delivery_first_seen
from .callback_token import at_callback

PROVIDER = "africastalking"


def at_sms_parse(form: QueryDict) -> InboundSms:
    """The neutral ``InboundSms`` of an Africa's Talking inbound message form."""
    return InboundSms(
        provider=PROVIDER,
        message_id=required_field(form, "id"),
        sender=required_field(form, "from"),
        body=form.get("text") or "",
        recipient=(form.get("to") or "").strip(),
        link_id=(form.get("linkId") or "").strip() or None,
    )


def at_is_delivery_report(form: QueryDict) -> bool:
    return "status" in form and "from" not in form


@at_callback
def sms_inbound(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return wrong_method_response()
    if at_is_delivery_report(request.POST):
        return accepted_response()
    try:
        inbound = at_sms_parse(request.POST)
    except GatewayPayloadError as error:
        return bad_payload_response(error)
    if not delivery_first_seen(PROVIDER, inbound.message_id):
        return accepted_response()
    at = timezone.now()
    country = country_from_phone(inbound.sender)
    if sms_quota_take(inbound.sender, country=country, channel=inbound.channel, at=at):
        reply = sms_answer(inbound, at=at)
        sms_send(
            OutboundSms(
                to=inbound.sender,
                message=reply,
                sender=settings.AT_SMS_SENDER or inbound.recipient or None,
                link_id=inbound.link_id,
            )
        )
    return accepted_response()


@at_callback
def sms_delivery_report(request: HttpRequest) -> HttpResponse:
    """Delivery reports (``id``, ``status``): accepted and ignored."""
    if request.method != "POST":
        return wrong_method_response()
    return accepted_response()
