"""Sign-in throttling (django-axes): whom a failed password counts against, and from where.

Two locks, so that one attacker cannot lock everyone out:

- the pair (username, client address) is locked after ``AXES_FAILURE_LIMIT`` failures (5): the
  guesser is stopped, and every other user signing in from the same address — behind a reverse
  proxy or an office NAT, that is everyone — still can;
- the username alone, from any address, after ``COPHUB_USERNAME_FAILURE_LIMIT`` failures (20),
  so guessing one password from many addresses is bounded too.

The client address is ``REMOTE_ADDR``, unless the request comes from one of
``COPHUB_TRUSTED_PROXIES`` (``TRUSTED_PROXIES``: addresses or networks): then it is the
right-most address of ``X-Forwarded-For`` that is not itself a trusted proxy. Anyone else's
``X-Forwarded-For`` is ignored, so a client can neither pick its own address nor pose as someone
else's."""

import ipaddress
from functools import lru_cache
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, Sum
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_proxy_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """``("10.0.0.0/8", "192.0.2.1")`` -> networks; ``ValueError`` naming a bad entry."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            raise ValueError(f"TRUSTED_PROXIES: {entry!r} is not an address or network") from error
    return tuple(networks)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
    if address is None:
        return False
    networks = trusted_proxy_networks(tuple(settings.COPHUB_TRUSTED_PROXIES))
    return any(address.version == net.version and address in net for net in networks)


def request_from_trusted_proxy(request: HttpRequest) -> bool:
    """Did one of ``TRUSTED_PROXIES`` send this request (so its forwarded headers count)?"""
    return _is_trusted(_address(str(request.META.get("REMOTE_ADDR", ""))))


def client_ip_address(request: HttpRequest) -> str:
    """The address failed sign-ins are counted against (``AXES_CLIENT_IP_CALLABLE``)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if not request_from_trusted_proxy(request):
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    # Each proxy appends the address it received the request from: read from the right, past
    # our own proxies; the first other address is the client. What lies further left was
    # written by the client and proves nothing.
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _address(hop)
        if address is None:
            return remote
        if not _is_trusted(address):
            return str(address)
    return remote


class SignInThrottleHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """django-axes' database handler with a limit per lock (``AXES_HANDLER``).

    Axes compares one failure count with one limit. Here the count is the pair's failures, or
    the limit itself once the username's failures from all addresses reach their own, higher
    limit: either lock then holds, and Axes answers 429 as usual."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        username = get_client_username(request, credentials)
        attempts = AccessAttempt.objects.filter(username=username)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        totals = attempts.aggregate(
            username=Sum("failures_since_start"),
            pair=Sum(
                "failures_since_start",
                filter=Q(ip_address=request.axes_ip_address),  # type: ignore[attr-defined]
            ),
        )
        pair = totals["pair"] or 0
        if (totals["username"] or 0) >= settings.COPHUB_USERNAME_FAILURE_LIMIT:
            return max(int(pair), int(get_failure_limit(request, credentials)))
        return int(pair)
