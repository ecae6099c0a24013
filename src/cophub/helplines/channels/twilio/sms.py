"""Twilio inbound SMS and WhatsApp.

Twilio posts a form (``MessageSid``, ``AccountSid``, ``From``, ``To``, ``Body``, ``NumMedia``…;
WhatsApp addresses look like ``whatsapp:+2547…``) signed in ``X-Twilio-Signature``:
base64(HMAC-SHA1(auth token, full URL + each parameter name and value, sorted by name)). A
missing or wrong signature gets 403. The reply is TwiML in the response; a second delivery of the
same ``MessageSid`` gets an empty ``<Response/>``.

Behind a proxy the URL Twilio signed must be the one Django rebuilds: production sets
``SECURE_PROXY_SSL_HEADER``; the proxy must pass the original ``Host``."""

import base64
import hashlib
import hmac
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from ..gateway import (
    GatewayPayloadError,
    bad_payload_response,
    forbidden_response,
    required_field,
    wrong_method_response,
)
from ..replies import InboundSms, sms_answer
from ..sessions import delivery_first_seen

PROVIDER = "twilio"
WHATSAPP_PREFIX = "whatsapp:"
_DEFAULT_PORTS = {"https": 443, "http": 80}


def twilio_signature(url: str, params: QueryDict | dict[str, str], token: str) -> str:
    """Twilio's request signature (see the module docstring); several values of one name are
    appended in sorted order, as Twilio's own validators do."""
    payload = url
    for name in sorted(set(params)):
        values = params.getlist(name) if isinstance(params, QueryDict) else [params[name]]
        payload += "".join(name + value for value in sorted(set(values)))
    digest = hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _url_variants(url: str) -> Iterable[str]:
    """The URL as rebuilt, and with its default port added or removed (Twilio signs what it was
    configured with, which may or may not spell the port)."""
    yield url
    parts = urlsplit(url)
    default = _DEFAULT_PORTS.get(parts.scheme)
    if parts.port is None and default and parts.hostname:
        yield urlunsplit(parts._replace(netloc=f"{parts.netloc}:{default}"))
    elif parts.port == default and parts.hostname:
        yield urlunsplit(parts._replace(netloc=parts.netloc.rsplit(":", 1)[0]))


def twilio_signature_valid(request: HttpRequest) -> bool:
    """Whether ``X-Twilio-Signature`` matches ``TWILIO_AUTH_TOKEN`` (False when either is
    missing)."""
    token = settings.TWILIO_AUTH_TOKEN
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    return any(
        hmac.compare_digest(twilio_signature(url, request.POST, token), signature)
        for url in _url_variants(request.build_absolute_uri())
    )


def twilio_sms_parse(form: QueryDict) -> InboundSms:
    """The neutral ``InboundSms`` of a Twilio message form (SMS or WhatsApp)."""
    sender = required_field(form, "From")
    whatsapp = sender.lower().startswith(WHATSAPP_PREFIX)
    return InboundSms(
        provider=PROVIDER,
        message_id=required_field(form, "MessageSid"),
        sender=sender[len(WHATSAPP_PREFIX) :] if whatsapp else sender,
        body=form.get("Body") or "",
        recipient=(form.get("To") or "").strip(),
        channel="whatsapp" if whatsapp else "sms",
    )


def twiml(message: str | None) -> HttpResponse:
    """A TwiML response with one message, or the empty ``<Response/>`` (no reply)."""
    body = (
        f"<Response><Message>{escape(message)}</Message></Response>" if message else "<Response/>"
    )
    return HttpResponse(
        f'<?xml version="1.0" encoding="UTF-8"?>{body}', content_type="text/xml; charset=utf-8"
    )


@csrf_exempt  # Twilio posts without a CSRF token; the signature authenticates it
def sms_inbound(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return wrong_method_response()
    if not twilio_signature_valid(request):
        return forbidden_response("signature")
    try:
        inbound = twilio_sms_parse(request.POST)
    except GatewayPayloadError as error:
        return bad_payload_response(error)
    if not delivery_first_seen(PROVIDER, inbound.message_id):
        return twiml(None)
    return twiml(sms_answer(inbound, at=timezone.now()))
