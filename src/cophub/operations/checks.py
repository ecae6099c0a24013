"""System checks of ``/metrics``' access settings.

``operations.E001``: an entry of ``METRICS_ALLOWED_NETWORKS`` is not an address or a network.
``operations.W001`` (``check --deploy``): ``METRICS_TOKEN`` is set but shorter than 32
characters, short enough to guess."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from .access import metrics_networks

TOKEN_MIN_LENGTH = 32


@register(Tags.security)
def metrics_networks_check(**kwargs: Any) -> list[CheckMessage]:
    try:
        metrics_networks(tuple(settings.COPHUB_METRICS_ALLOWED_NETWORKS))
    except ValueError as error:
        return [
            Error(
                str(error),
                hint="A comma-separated list such as 127.0.0.0/8,::1/128,10.0.3.0/24.",
                id="operations.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def metrics_token_check(**kwargs: Any) -> list[CheckMessage]:
    token = settings.COPHUB_METRICS_TOKEN
    if token and len(token) < TOKEN_MIN_LENGTH:
        return [
            Warning(
                f"METRICS_TOKEN has fewer than {TOKEN_MIN_LENGTH} characters.",
                hint="For example: python3 -c 'import secrets; print(secrets.token_urlsafe())'",
                id="operations.W001",
            )
        ]
    return []
