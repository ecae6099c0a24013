"""The first two middleware of every request: its id, then one log line and the request metrics
when it has been answered.

The id (``X-Request-ID``, see ``request_ids``) is the proxy's when the request comes from one of
``TRUSTED_PROXIES`` with a well-formed one (1 to 64 letters, digits, ``.``, ``_`` or ``-``, e.g.
nginx's ``$request_id``), else a new random one (32 hexadecimal digits): a client elsewhere
cannot choose it, so it can neither pose as another request nor carry text into the logs.

The log line (logger ``cophub.requests``) names the route, never the path: a path may hold a
phone number (``/en/help/+2547…/``), a query string a number or a message, and neither the
address nor any header is written. Probes (``/healthz``, ``/readyz``, ``/metrics``) are logged
at DEBUG, everything else at INFO. The duration runs until the response is ready, before a
streamed body is sent."""

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, resolve

from cophub.accounts.sign_in_throttling import request_from_trusted_proxy

from .metrics import METHODS, request_record
from .request_ids import request_id_set

logger = logging.getLogger("cophub.requests")

HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{1,64}")
PROBES = frozenset({"healthz", "readyz", "metrics"})


def request_id_of(request: HttpRequest) -> str:
    """The proxy's well-formed id for a request from a trusted proxy, else a new one."""
    offered = str(request.headers.get(HEADER, ""))
    if _WELL_FORMED.fullmatch(offered) and request_from_trusted_proxy(request):
        return offered
    return uuid.uuid4().hex


def request_id_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """First of all middleware, so every later one's log lines carry the id."""

    def middleware(request: HttpRequest) -> HttpResponse:
        request_id = request_id_of(request)
        request_id_set(request_id)  # until the response is closed (see request_ids)
        response = get_response(request)
        response.headers[HEADER] = request_id
        return response

    return middleware


def request_observation_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Right after ``request_id_middleware``: times everything the others do."""

    def middleware(request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = get_response(request)
        seconds = time.perf_counter() - started
        view, route = _route_of(request)
        method = request.method if request.method in METHODS else "other"
        request_record(route=view, method=method, status=response.status_code, seconds=seconds)
        duration_ms = round(seconds * 1000, 1)
        logger.log(
            logging.DEBUG if view in PROBES else logging.INFO,
            "%s %s %s %s ms",
            method,
            view,
            response.status_code,
            duration_ms,
            extra={
                "method": method,
                "route": route,
                "view": view,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response

    return middleware


def _route_of(request: HttpRequest) -> tuple[str, str]:
    """(URL pattern name, URL pattern with ``<lang>`` for the language prefix). A request
    answered before URL resolution (a redirect to HTTPS, a refusal of the text policy) is
    resolved here; files WhiteNoise served are ``static``; no match is ``unmatched``."""
    match: ResolverMatch | None = getattr(request, "resolver_match", None)
    if match is None:
        if settings.STATIC_URL and request.path.startswith(str(settings.STATIC_URL)):
            return "static", str(settings.STATIC_URL).lstrip("/")
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "unmatched", ""
    return match.view_name or "unnamed", _without_language(match.route or "")


def _without_language(route: str) -> str:
    prefix, slash, rest = route.partition("/")
    if slash and prefix in {code for code, _name in settings.LANGUAGES}:
        return f"<lang>/{rest}"
    return route
