"""``/api/v1/helplines/verification``: campaigns, their replies, BDT's review of proposed
changes and the verification contacts of an entry (BDT staff only). Answering a link is done
on its page, which needs no account."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema, Status

from cophub.portal.api_auth import AUTHENTICATED, api_user
from cophub.portal.paging import keyset_paginate

from .. import access
from ..models import VerificationCampaign, VerificationRequest
from . import selectors, services
from .score import verification_summary

router = Router(tags=["helplines"], auth=AUTHENTICATED)


class VerificationCampaignIn(Schema):
    region: str | None = None
    remind_after_days: int = 14
    link_days: int = 30


class VerificationCampaignOut(Schema):
    id: int
    region: str | None
    started_at: datetime
    remind_after_days: int
    link_days: int
    asked: int
    correct: int
    changed: int
    pending: int
    to_review: int


class VerificationScoreOut(Schema):
    score: int
    checks: dict[str, str]
    stale: bool


class VerificationReplyOut(Schema):
    id: int
    campaign: int
    helpline: str
    email: str
    language: str
    sent_at: datetime | None
    reminded_at: datetime | None
    answer: str
    answered_at: datetime | None
    answered_by: str
    note: str
    review: str
    reviewed_at: datetime | None
    review_note: str
    verification: VerificationScoreOut


class VerificationCampaignDetailOut(VerificationCampaignOut):
    replies: str  # the link to the paged replies (decision 0044)


class VerificationReviewIn(Schema):
    note: str = ""


class VerificationContactIn(Schema):
    email: str
    language: str = "en"


class VerificationContactsIn(Schema):
    contacts: list[VerificationContactIn]


class VerificationContactsOut(Schema):
    helpline: str
    contacts: list[VerificationContactIn]


def _campaign_out(campaign: VerificationCampaign) -> dict[str, Any]:
    counted = selectors.campaign_list().get(pk=campaign.pk)
    return {
        "id": counted.pk,
        "region": counted.region_id,
        "started_at": counted.started_at,
        "remind_after_days": counted.remind_after_days,
        "link_days": counted.link_days,
        **{key: getattr(counted, key) for key in selectors.COUNTS},
    }


REPLY_FIELDS = (
    "email", "language", "sent_at", "reminded_at", "answer", "answered_at", "answered_by",
    "note", "review", "reviewed_at", "review_note",
)  # fmt: skip


def _reply_out(reply: VerificationRequest) -> dict[str, Any]:
    return {
        "id": reply.pk,
        "campaign": reply.campaign_id,
        "helpline": reply.helpline.slug,
        **{key: getattr(reply, key) for key in REPLY_FIELDS},
        "verification": verification_summary(reply.helpline, timezone.localdate()),
    }


@router.get("/campaigns", response=list[VerificationCampaignOut])
@keyset_paginate(ordering=("-pk",), row=_campaign_out)
def campaign_list(request: HttpRequest) -> QuerySet[VerificationCampaign]:
    """Campaigns, newest first."""
    access.access_verification(api_user(request))
    return selectors.campaign_list()


@router.post("/campaigns", response={201: VerificationCampaignOut})
def campaign_start(request: HttpRequest, payload: VerificationCampaignIn) -> Status[dict[str, Any]]:
    """Start a campaign: every verification contact of the region's entries (``region``
    null: every region) is e-mailed a link, by the task queue."""
    user = api_user(request)
    access.access_verification(user)
    campaign = services.campaign_start(user=user, **payload.model_dump())
    return Status(201, _campaign_out(campaign))


@router.get("/campaigns/{pk}", response=VerificationCampaignDetailOut)
def campaign_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    """A campaign with its counts; its replies are a paged list at ``replies``."""
    campaign = access.access_verification_campaign(api_user(request), pk)
    replies = reverse("api:verification_campaign_replies", kwargs={"pk": campaign.pk})
    return {**_campaign_out(campaign), "replies": request.build_absolute_uri(replies)}


@router.get(
    "/campaigns/{pk}/replies",
    response=list[VerificationReplyOut],
    url_name="verification_campaign_replies",
)
@keyset_paginate(ordering=("helpline__country_id", "helpline__slug", "email"), row=_reply_out)
def campaign_replies(request: HttpRequest, pk: int) -> QuerySet[VerificationRequest]:
    """A campaign's replies, by country, entry and e-mail address."""
    campaign = access.access_verification_campaign(api_user(request), pk)
    return selectors.campaign_requests(campaign)


@router.get("/changes", response=list[VerificationReplyOut])
@keyset_paginate(ordering=("pk",), row=_reply_out)
def changes_to_review(request: HttpRequest) -> QuerySet[VerificationRequest]:
    """Changes waiting for review, oldest first."""
    access.access_verification(api_user(request))
    return selectors.changes_to_review()


@router.post("/changes/{pk}/accept", response=VerificationReplyOut)
def change_accept(request: HttpRequest, pk: int, payload: VerificationReviewIn) -> dict[str, Any]:
    """Apply the proposed entry (as any edit of the entry) and mark it confirmed by the
    operator; 409 when already reviewed."""
    user = api_user(request)
    reply = access.access_verification_reply(user, pk)
    services.change_accept(user=user, request=reply, note=payload.note)
    reply.refresh_from_db()
    return _reply_out(reply)


@router.post("/changes/{pk}/reject", response=VerificationReplyOut)
def change_reject(request: HttpRequest, pk: int, payload: VerificationReviewIn) -> dict[str, Any]:
    user = api_user(request)
    reply = access.access_verification_reply(user, pk)
    services.change_reject(user=user, request=reply, note=payload.note)
    reply.refresh_from_db()
    return _reply_out(reply)


@router.get("/contacts/{slug}", response=VerificationContactsOut)
def contacts_get(request: HttpRequest, slug: str) -> dict[str, Any]:
    helpline = access.access_verification_contacts(api_user(request), slug)
    contacts = helpline.verification_contacts.order_by("email").values("email", "language")
    return {"helpline": slug, "contacts": list(contacts)}


@router.put("/contacts/{slug}", response=VerificationContactsOut)
def contacts_put(
    request: HttpRequest, slug: str, payload: VerificationContactsIn
) -> dict[str, Any]:
    """Replace the entry's verification contacts (never published)."""
    helpline = access.access_verification_contacts(api_user(request), slug)
    services.contacts_set(helpline=helpline, contacts=[c.model_dump() for c in payload.contacts])
    return contacts_get(request, slug)
