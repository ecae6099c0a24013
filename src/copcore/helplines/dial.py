"""Turning a contact's stored value into what a person taps: ``tel:``, ``sms:``, a chat link.

Numbers are stored as dialled in the country (``116``, ``0800 1111``), never as a made-up
``+CC116``: short codes have no international form. Links are built from that national form."""

import re
from urllib.parse import quote

from .model import Channel, Contact

_DIAL_CHARACTERS = re.compile(r"[^0-9+*#]")


def dial_digits(value: str) -> str:
    """``"0800 1111"`` -> ``"08001111"``; keeps ``+``, ``*`` and ``#`` (USSD codes)."""
    return _DIAL_CHARACTERS.sub("", value)


def contact_href(contact: Contact) -> str | None:
    """The link that opens ``contact`` on a phone or browser, or None when none is safe."""
    value = contact.value.strip()
    if contact.channel is Channel.VOICE:
        return f"tel:{dial_digits(value)}"
    if contact.channel is Channel.USSD:
        return "tel:" + quote(dial_digits(value), safe="+*")
    if contact.channel is Channel.SMS:
        return f"sms:{dial_digits(value)}"
    if contact.channel is Channel.WHATSAPP:
        digits = dial_digits(value).lstrip("+")
        return f"https://wa.me/{digits}" if value.startswith("+") else _https(value)
    if contact.channel is Channel.TELEGRAM:
        handle = value.removeprefix("@")
        return _https(value) or f"https://t.me/{quote(handle)}"
    if contact.channel is Channel.EMAIL:
        return f"mailto:{value}" if "@" in value else None
    return _https(value)  # webchat, app


def _https(value: str) -> str | None:
    return value if value.startswith("https://") else None


def contact_display(contact: Contact) -> str:
    """What the page or SMS shows: the number as dialled, or the address without its scheme."""
    value = contact.value.strip()
    if value.startswith("https://"):
        return value.removeprefix("https://").rstrip("/")
    return value
