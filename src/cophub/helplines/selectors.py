"""Reads for helplines: the directory as the resolver sees it, the number registry."""

from django.db.models import Prefetch, QuerySet

from copcore.helplines.model import Channel, Kind, Source
from copcore.helplines.model import Contact as PlainContact
from copcore.helplines.model import Helpline as PlainHelpline
from copcore.helplines.parse import parse_hours

from .models import Contact, CopNumber, Helpline, NumberStatus, Topic


def helpline_queryset() -> QuerySet[Helpline]:
    return Helpline.objects.prefetch_related(
        "topics", Prefetch("contacts", queryset=Contact.objects.order_by("position"))
    )


def _plain(helpline: Helpline) -> PlainHelpline:
    return PlainHelpline(
        id=helpline.slug,
        names=helpline.names,
        country=helpline.country_id,
        kind=Kind(helpline.kind),
        timezone=helpline.timezone,
        contacts=tuple(
            PlainContact(
                channel=Channel(contact.channel),
                value=contact.value,
                free=contact.free,
                hours=parse_hours(contact.hours, contact.closed_on, f"contact {contact.pk}"),
            )
            for contact in helpline.contacts.all()
        ),
        source=Source(
            url=helpline.source_url, type=helpline.source_type, verified_at=helpline.verified_at
        ),
        subdivisions=frozenset(helpline.subdivisions),
        topics=frozenset(topic.code for topic in helpline.topics.all()),
        age_min=helpline.age_min,
        age_max=helpline.age_max,
        languages=tuple(helpline.languages),
        operator=helpline.operator_name,
        chi_member=helpline.chi_member,
    )


def helpline_directory(*, country: str) -> list[PlainHelpline]:
    """Every helpline serving ``country``, as plain data for ``copcore.helplines``."""
    return [_plain(h) for h in helpline_queryset().filter(country_id=country)]


def topic_parents() -> dict[str, str | None]:
    return dict(Topic.objects.values_list("code", "parent_id"))


def countries_with_helplines() -> list[str]:
    return list(
        Helpline.objects.exclude(kind=Kind.EMERGENCY)
        .order_by("country_id")
        .values_list("country_id", flat=True)
        .distinct()
    )


def number_list(*, country: str | None = None) -> QuerySet[CopNumber]:
    numbers = CopNumber.objects.select_related("country").prefetch_related(
        Prefetch("history", queryset=NumberStatus.objects.select_related("provider"))
    )
    return numbers.filter(country_id=country) if country else numbers
