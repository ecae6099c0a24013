"""No child's phone number or message in any log line.

Request lines (``"GET /api/v1/helplines/resolve?phone=%2B2547… HTTP/1.1" 400``) and URLs in log
messages carry what a child or a gateway sent in the query string. ``ChildDataLogFilter`` sits on
every handler of ``LOGGING`` (base settings, so in every mode) and rewrites each record before it
is written:

- the values of the query parameters in ``PRIVATE_PARAMETERS`` (any letter case) become
  ``[removed]``: the resolver's ``phone``, the gateways' sender fields (``from``, ``phoneNumber``,
  ``msisdn``, ``WaId``, ``ProfileName``) and message fields (``text``, ``Body``, ``message``),
  and the shared secret of the Africa's Talking callback URLs (``token``);
- anything shaped like an international number (``+`` or ``%2B`` then 6 to 15 digits, spaces or
  dashes allowed between them) becomes ``[number]``, wherever it stands (a path, an error text).

>>> redact_log_text('"GET /resolve?country=KE&phone=%2B254711000000 HTTP/1.1" 400')
'"GET /resolve?country=KE&phone=[removed] HTTP/1.1" 400'
>>> redact_log_text("Not Found: /en/help/+254 711 000000/")
'Not Found: /en/help/[number]/'
"""

import logging
import re

PRIVATE_PARAMETERS = (
    "phone",
    "phonenumber",
    "msisdn",
    "from",
    "waid",
    "profilename",
    "text",
    "body",
    "message",
    "token",
)
REMOVED = "[removed]"
NUMBER = "[number]"

_PARAMETER = re.compile(
    r"(?P<name>(?:^|[?&;])(?:" + "|".join(PRIVATE_PARAMETERS) + r"))=(?P<value>[^&;#\s\"']*)",
    re.IGNORECASE,
)
_INTERNATIONAL_NUMBER = re.compile(r"(?:\+|%2B)\d(?:[\s\-.]?\d){5,14}", re.IGNORECASE)


def redact_log_text(text: str) -> str:
    """``text`` without private query values nor international numbers (see the module)."""
    text = _PARAMETER.sub(lambda match: f"{match['name']}={REMOVED}", text)
    return _INTERNATIONAL_NUMBER.sub(NUMBER, text)


class ChildDataLogFilter(logging.Filter):
    """Rewrites a record in place, so every handler after this one sees it redacted too."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is still redacted, not dropped
            record.msg = redact_log_text(str(record.msg))
            record.args = _redacted_args(record.args)
            return True
        redacted = redact_log_text(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True


def _redacted_args(args: object) -> tuple[object, ...] | None:
    if not isinstance(args, tuple):
        return None
    return tuple(redact_log_text(arg) if isinstance(arg, str) else arg for arg in args)
