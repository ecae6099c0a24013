"""System checks of the helplines app, run by ``cophub check --deploy``."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def at_callback_token_check(
    *,
    app_configs: Sequence[AppConfig] | None = None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[CheckMessage]:
    """The Africa's Talking callbacks need ``AT_CALLBACK_TOKEN`` outside demo mode: without it
    anyone could make the platform send SMS to any number (with the Africa's Talking client:
    an error), or the gateway's callbacks are all refused (with another client: a warning)."""
    if settings.AT_CALLBACK_TOKEN:
        return []
    if settings.COPHUB_SMS_CLIENT == "africastalking":
        return [
            Error(
                "AT_CALLBACK_TOKEN is not set while SMS are sent through Africa's Talking.",
                hint=(
                    "Set AT_CALLBACK_TOKEN to a long random secret and register the callback "
                    "URLs with ?token=<it> (docs/helplines/channels.md)."
                ),
                id="cophub.helplines.E001",
            )
        ]
    if not settings.COPHUB_DEMO:
        return [
            Warning(
                "AT_CALLBACK_TOKEN is not set: every Africa's Talking callback is refused (403).",
                hint="Set AT_CALLBACK_TOKEN if this site takes Africa's Talking callbacks.",
                id="cophub.helplines.W001",
            )
        ]
    return []
