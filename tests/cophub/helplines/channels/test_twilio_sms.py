import base64
import hashlib
import hmac
from typing import Any
from xml.etree import ElementTree

import pytest
from django.test import Client, override_settings

from copcore.helplines.sms import sms_encoding, sms_segments
from cophub.helplines.channels.twilio.sms import twilio_signature, twiml
from cophub.helplines.models import ReachCount

from .conftest import payload

pytestmark = pytest.mark.usefixtures("directory", "monday_noon")
TOKEN = "test-auth-token-0123456789abcdef"
URL = "/channels/sms/twilio"
FULL_URL = "http://testserver" + URL


def sign(url: str, fields: dict[str, str], token: str = TOKEN) -> str:
    """Computed here independently of the code under test (Twilio's published algorithm)."""
    data = url + "".join(name + fields[name] for name in sorted(fields))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def post(client: Client, fields: dict[str, str], signature: str | None = None) -> Any:
    headers = {} if signature == "" else {"X-Twilio-Signature": signature or sign(FULL_URL, fields)}
    return client.post(URL, fields, headers=headers)


def message_of(response: Any) -> str | None:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?><Response')
    root = ElementTree.fromstring(response.content)  # noqa: S314 — our own response
    found = root.find("Message")
    return None if found is None else found.text


def test_signature_matches_twilios_published_example() -> None:
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+14158675309",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
    }
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert twilio_signature(url, params, "12345") == "RSOYDt4T1cUTdK1PDd93/VVr8B8="


@override_settings(TWILIO_AUTH_TOKEN=TOKEN)
def test_signed_message_gets_the_senders_helplines_in_twiml(client: Client) -> None:
    reply = message_of(post(client, payload("twilio", "sms_inbound")))
    assert reply is not None
    assert reply.split("\n")[1] == "Test Childline: call 116 (free, 24/7)"
    assert reply.endswith("In danger now? Call 999")
    assert sms_segments(reply) == 1
    assert ReachCount.objects.get(country="KE", channel="sms").count == 1


@override_settings(TWILIO_AUTH_TOKEN=TOKEN)
def test_bad_or_missing_signature_is_refused(client: Client) -> None:
    fields = payload("twilio", "sms_inbound")
    tampered = {**fields, "Body": "HELP FR"}
    assert post(client, tampered, signature=sign(FULL_URL, fields)).status_code == 403
    assert post(client, fields, signature="").status_code == 403
    assert (
        post(client, fields, signature=sign(FULL_URL, fields, "another-token")).status_code == 403
    )
    assert post(client, fields, signature=sign(FULL_URL + "?x=1", fields)).status_code == 403
    assert not ReachCount.objects.exists()


@override_settings(TWILIO_AUTH_TOKEN="")
def test_without_a_configured_token_everything_is_refused(client: Client) -> None:
    fields = payload("twilio", "sms_inbound")
    assert post(client, fields, signature=sign(FULL_URL, fields, "")).status_code == 403


@override_settings(TWILIO_AUTH_TOKEN=TOKEN)
def test_url_signed_with_explicit_default_port_is_accepted(client: Client) -> None:
    fields = payload("twilio", "sms_inbound")
    signature = sign("http://testserver:80" + URL, fields)
    assert message_of(post(client, fields, signature=signature)) is not None


@override_settings(TWILIO_AUTH_TOKEN=TOKEN)
def test_duplicate_message_sid_gets_an_empty_response(client: Client) -> None:
    fields = payload("twilio", "sms_inbound")
    assert message_of(post(client, fields)) is not None
    second = post(client, fields)
    assert second.content == b'<?xml version="1.0" encoding="UTF-8"?><Response/>'
    assert ReachCount.objects.get(country="KE", channel="sms").count == 1


@override_settings(TWILIO_AUTH_TOKEN=TOKEN)
def test_whatsapp_keyword_with_country_without_helpline(client: Client) -> None:
    reply = message_of(post(client, payload("twilio", "whatsapp_inbound")))
    assert reply == (
        "Aun no conocemos una linea de ayuda infantil aqui (México).\n"
        "Si estas en peligro, llama al numero de emergencias de tu pais."
    )
    assert ReachCount.objects.get(country="MX", channel="whatsapp").count == 1


@override_settings(TWILIO_AUTH_TOKEN=TOKEN)
def test_arabic_keyword_gets_an_arabic_one_segment_ucs2_reply(client: Client) -> None:
    reply = message_of(post(client, payload("twilio", "sms_arabic")))
    assert reply is not None
    assert reply.split("\n") == ["Test Childline: اتصل بـ 116 (مجاني، 24/7)", "في خطر؟ اتصل بـ 999"]
    assert sms_encoding(reply) == "ucs2" and sms_segments(reply) == 1


@override_settings(TWILIO_AUTH_TOKEN=TOKEN)
def test_malformed_posts_are_plain_400(client: Client) -> None:
    fields = payload("twilio", "sms_inbound")
    del fields["MessageSid"]
    response = post(client, fields)
    assert response.status_code == 400
    assert response.content == b"Bad request: missing_field (MessageSid).\n"
    assert client.get(URL).status_code == 400


def test_twiml_escapes_the_message() -> None:
    response = twiml("Call <116> & text 'SMS'")
    assert response.content == (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b"<Response><Message>Call &lt;116&gt; &amp; text 'SMS'</Message></Response>"
    )
