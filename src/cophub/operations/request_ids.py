"""One id per request, in the ``X-Request-ID`` response header and in every log line written
while the request is served, so one request's lines can be found together and matched with the
reverse proxy's. The middleware that chooses and binds it is in ``request_observation``.

This module imports nothing that needs Django's apps: ``LOGGING`` loads its filter before they
are ready."""

import contextvars
import logging

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def request_id_set(request_id: str | None) -> None:
    """``request_id`` is the current id from now on, until the next is set or cleared.

    Not undone when the middleware returns: Django writes its own request warnings ("Not Found:
    …") after the last middleware, so the id stays until the response is closed
    (``request_id_clear``, on ``request_finished``) or the next request sets its own."""
    _current.set(request_id)


def request_id_clear(**kwargs: object) -> None:
    """No current id (a ``request_finished`` receiver)."""
    _current.set(None)


class RequestIdLogFilter(logging.Filter):
    """Puts the current request's id on every record (``request_id``, ``None`` outside a
    request), for the formatters of ``LOGGING``."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True
