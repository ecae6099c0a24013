"""Shared helpers of the verification campaign tests: a campaign whose mails were sent
(captured by the locmem backend) and the link each contact received."""

import re
from collections.abc import Callable
from typing import Any

from django.core import mail

from cophub.helplines.models import Helpline, VerificationCampaign, VerificationRequest
from cophub.helplines.verification.services import campaign_start, contacts_set

LINK = re.compile(r"https?://[^\s]+/help/verify/([^/\s]+)/")


def contacts_add() -> None:
    contacts_set(
        helpline=Helpline.objects.get(slug="ke-test-childline"),
        contacts=[
            {"email": "ops@childline.example.org", "language": "en"},
            {"email": "director@childline.example.org", "language": "ar"},
        ],
    )
    contacts_set(
        helpline=Helpline.objects.get(slug="fr-test-enfance"),
        contacts=[{"email": "verif@enfance.example.org", "language": "fr"}],
    )


def started(capture: Callable[..., Any], region: str | None = None) -> VerificationCampaign:
    """Start a campaign and run the mails it queued (the immediate task backend)."""
    with capture(execute=True):
        return campaign_start(user=None, region=region)


def link_of(email: str, outbox: list[Any] | None = None) -> str:
    """The token of the latest mail sent to ``email``."""
    messages = [m for m in (outbox if outbox is not None else mail.outbox) if email in m.to]
    assert messages, f"no mail to {email}"
    found = LINK.search(messages[-1].body)
    assert found, messages[-1].body
    return found.group(1)


def request_of(email: str) -> VerificationRequest:
    return VerificationRequest.objects.get(email=email)
