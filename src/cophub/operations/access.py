"""Who may read ``/metrics``: a client in ``METRICS_ALLOWED_NETWORKS`` (loopback by default), or
one sending ``Authorization: Bearer <METRICS_TOKEN>``. Anyone else is answered as if there were
no such page (404).

The client's address is the one sign-in throttling uses (``client_ip_address``): ``REMOTE_ADDR``,
or behind one of ``TRUSTED_PROXIES`` the address the proxies forwarded. A request that arrived
through a proxy that is not trusted (it carries a forwarding header, from an address not in
``TRUSTED_PROXIES``) is never let in by its address: behind a proxy on the same machine every
request would come from loopback."""

import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

from cophub.accounts.sign_in_throttling import client_ip_address, request_from_trusted_proxy

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


@lru_cache(maxsize=8)
def metrics_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """``("127.0.0.0/8", "10.1.2.3")`` -> networks; ``ValueError`` naming a bad entry."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as error:
            raise ValueError(
                f"METRICS_ALLOWED_NETWORKS: {entry!r} is not an address or network"
            ) from error
    return tuple(networks)


def access_metrics(request: HttpRequest) -> bool:
    """May this request read ``/metrics``?"""
    return _token_matches(request) or _from_allowed_network(request)


def _token_matches(request: HttpRequest) -> bool:
    expected = settings.COPHUB_METRICS_TOKEN
    if not expected:
        return False
    scheme, _space, offered = str(request.headers.get("Authorization", "")).partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(offered.strip().encode(), expected.encode())


def _from_allowed_network(request: HttpRequest) -> bool:
    forwarded = any(request.META.get(header) for header in FORWARDING_HEADERS)
    if forwarded and not (
        request_from_trusted_proxy(request) and request.META.get("HTTP_X_FORWARDED_FOR")
    ):
        return False
    try:
        address = ipaddress.ip_address(client_ip_address(request))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 from a server bound to [::]
    networks = metrics_networks(tuple(settings.COPHUB_METRICS_ALLOWED_NETWORKS))
    return any(address.version == net.version and address in net for net in networks)
