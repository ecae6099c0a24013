"""The links of a verification campaign: ``signing.dumps`` (a ``TimestampSigner`` with the salt
of this one purpose) of the request's id and a random nonce. Only the SHA-256 of the nonce is
stored (``VerificationRequest.token_hash``).

A link is refused when its signature or purpose is wrong (another salt signs nothing here),
when it is older than the campaign's ``link_days`` (the signed timestamp), when a newer link
replaced it (a reminder draws a new nonce), and once its request was answered."""

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

from ..models import VerificationRequest

PURPOSE = "cophub.helplines.verification"


class LinkState(enum.Enum):
    VALID = "valid"
    INVALID = "invalid"  # bad signature, another purpose, or no such request
    EXPIRED = "expired"
    REPLACED = "replaced"
    USED = "used"


@dataclass(frozen=True)
class Link:
    state: LinkState
    request: VerificationRequest | None = None


def nonce_hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode("ascii")).hexdigest()


def link_issue(request: VerificationRequest) -> str:
    """A new link for ``request``; sets (does not save) its ``token_hash``, so every earlier
    link of the request stops working once the request is saved."""
    nonce = secrets.token_urlsafe(24)
    request.token_hash = nonce_hash(nonce)
    return signing.dumps({"r": request.pk, "n": nonce}, salt=PURPOSE, compress=False)


def link_read(token: str) -> Link:
    try:
        payload = signing.loads(token, salt=PURPOSE)
        pk, nonce = int(payload["r"]), str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return Link(LinkState.INVALID)
    request = (
        VerificationRequest.objects.select_related("campaign", "helpline").filter(pk=pk).first()
    )
    if request is None:
        return Link(LinkState.INVALID)
    if request.answer != VerificationRequest.Answer.PENDING:
        return Link(LinkState.USED, request)
    if not secrets.compare_digest(request.token_hash, nonce_hash(nonce)):
        return Link(LinkState.REPLACED, request)
    try:
        signing.loads(token, salt=PURPOSE, max_age=timedelta(days=request.campaign.link_days))
    except signing.SignatureExpired:
        return Link(LinkState.EXPIRED, request)
    return Link(LinkState.VALID, request)
