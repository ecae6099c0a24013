"""How log lines are written (``LOG_FORMAT``): ``json``, one JSON object per line (the default
of the production settings), or ``text`` for people reading a console.

A JSON line holds only named fields, never whatever a record happens to carry: Django's request
records carry the request object itself (its address, headers, cookies), and python-json-logger
would write every such attribute. The fields::

    {"time": "2026-11-30T09:00:00.123456+00:00", "level": "INFO", "logger": "cophub.requests",
     "message": "GET helplines:help_country 200 12.3 ms", "request_id": "4f1c…",
     "method": "GET", "route": "<lang>/help/<str:country>/", "view": "helplines:help_country",
     "status": 200, "duration_ms": 12.3}

``request_id`` is null outside a request; the request fields appear on request lines only (see
``request_observation``). The message has been through ``ChildDataLogFilter`` already; exception
and stack texts, which that filter does not see, are redacted here the same way, in both formats.
This module imports nothing that needs Django's apps (``LOGGING`` loads it first)."""

import logging
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from cophub.portal.log_privacy import redact_log_text

# Fields a request line adds (``extra=``) and the formatters write, in this order.
REQUEST_FIELDS = ("method", "route", "view", "status", "duration_ms")
FIELDS = ("time", "level", "logger", "message", "request_id", *REQUEST_FIELDS, "exception", "stack")


class JsonLogFormatter(JsonFormatter):
    """python-json-logger's formatter, keeping ``FIELDS`` only (see the module)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            ["levelname", "name", "message", "request_id"],
            rename_fields={
                "levelname": "level",
                "name": "logger",
                "exc_info": "exception",
                "stack_info": "stack",
            },
            timestamp="time",
            json_ensure_ascii=False,
            **kwargs,
        )

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        line = {field: log_data[field] for field in FIELDS if field in log_data}
        line.setdefault("request_id", None)
        for field in ("message", "exception", "stack"):
            if isinstance(line.get(field), str):
                line[field] = redact_log_text(line[field])
        return line


class TextLogFormatter(logging.Formatter):
    """``LEVEL logger [request id or -] message``, with exception and stack texts redacted."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None) or "-"
        return f"{record.levelname} {record.name} [{request_id}] {record.message}"

    def formatException(self, ei: Any) -> str:
        return redact_log_text(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return redact_log_text(super().formatStack(stack_info))
