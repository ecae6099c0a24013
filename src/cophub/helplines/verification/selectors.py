"""Reads of verification campaigns for BDT: campaigns with their counts, one campaign's
requests, the changes waiting for review, replies by region, and what a change would do."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from cophub.reference.models import Region

from ..directory_format import helpline_document
from ..freshness import fresh_since
from ..models import Helpline, VerificationCampaign, VerificationRequest

Answer = VerificationRequest.Answer
Review = VerificationRequest.Review
COUNTS = {
    "asked": Count("requests"),
    "correct": Count("requests", filter=Q(requests__answer=Answer.CORRECT)),
    "changed": Count("requests", filter=Q(requests__answer=Answer.CHANGED)),
    "pending": Count("requests", filter=Q(requests__answer=Answer.PENDING)),
    "to_review": Count("requests", filter=Q(requests__review=Review.PENDING)),
}


def campaign_list() -> QuerySet[VerificationCampaign]:
    return VerificationCampaign.objects.select_related("region", "started_by").annotate(**COUNTS)


def campaign_requests(campaign: VerificationCampaign) -> QuerySet[VerificationRequest]:
    return campaign.requests.select_related("helpline", "helpline__country").order_by(
        "helpline__country_id", "helpline__slug", "email"
    )


def changes_to_review() -> QuerySet[VerificationRequest]:
    return VerificationRequest.objects.select_related("helpline", "campaign").filter(
        review=Review.PENDING
    )


@dataclass
class RegionUpkeep:
    """Per ITU-D region: entries, stale ones, and campaign replies."""

    code: str
    name: str
    entries: int = 0
    stale: int = 0
    asked: int = 0
    correct: int = 0
    changed: int = 0
    unanswered: int = 0
    to_review: int = 0


def upkeep_by_region(today: date) -> list[RegionUpkeep]:
    """What BDT's coverage view adds, in two queries: stale entries (the one stale rule),
    and every campaign's replies and pending changes, by region."""
    rows = {r.code: RegionUpkeep(code=r.code, name=r.name) for r in Region.objects.all()}
    fresh = Q(verified_at__gte=fresh_since(today))
    entries = Helpline.objects.values("country__region_id").annotate(
        n=Count("pk"), stale=Count("pk", filter=~fresh)
    )
    for entry in entries:
        row = rows.get(entry["country__region_id"] or "")
        if row:
            row.entries, row.stale = entry["n"], entry["stale"]
    replies = VerificationRequest.objects.values("helpline__country__region_id").annotate(
        asked=Count("pk"),
        correct=Count("pk", filter=Q(answer=Answer.CORRECT)),
        changed=Count("pk", filter=Q(answer=Answer.CHANGED)),
        unanswered=Count("pk", filter=Q(answer=Answer.PENDING)),
        to_review=Count("pk", filter=Q(review=Review.PENDING)),
    )
    for reply in replies:
        row = rows.get(reply["helpline__country__region_id"] or "")
        if row:
            for key in ("asked", "correct", "changed", "unanswered", "to_review"):
                setattr(row, key, reply[key])
    return list(rows.values())


FIELDS = ("name", "operator", "website", "age_min", "age_max", "languages", "contacts")


def change_diff(request: VerificationRequest) -> list[dict[str, Any]]:
    """The fields a proposed entry changes: ``field``, ``published`` and ``proposed``."""
    current = helpline_document(
        Helpline.objects.prefetch_related("contacts", "topics").get(pk=request.helpline_id)
    )
    proposed = request.proposed or {}
    return [
        {"field": key, "published": current.get(key), "proposed": proposed.get(key)}
        for key in FIELDS
        if current.get(key) != proposed.get(key)
    ]
