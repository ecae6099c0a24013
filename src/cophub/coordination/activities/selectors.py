"""Reads of partners with their agreements and activities."""

from typing import Any

from django.db.models import Count, QuerySet

from .models import Partner


def partners() -> QuerySet[Partner]:
    return Partner.objects.prefetch_related("agreements", "activities")


def partner_row(partner: Partner) -> dict[str, Any]:
    return {
        "id": partner.pk,
        "name": partner.name,
        "kind": partner.kind,
        "url": partner.url,
        "agreements": [
            {"title": a.title, "signed_on": a.signed_on, "ends_on": a.ends_on}
            for a in partner.agreements.all()
        ],
        "activities": [a.pk for a in partner.activities.all()],
    }


def partner_page_rows() -> QuerySet[Partner]:
    """Partners with their agreements and the number (not the list) of their activities."""
    return Partner.objects.prefetch_related("agreements").annotate(
        activity_count=Count("activities")
    )


def partner_rows() -> list[dict[str, Any]]:
    return [partner_row(partner) for partner in partners()]
