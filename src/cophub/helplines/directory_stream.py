"""The directory read for a download in a constant number of queries, whatever its size.

``prefetch_related`` with ``iterator(chunk_size=N)`` runs its prefetch queries again for every
N entries, so a download's query count grew with the directory (three more per 500 entries).
Here four queries are opened once — the entries, their contacts, their topics and their pairs,
each in the directory's order (country, then identifier) — and read side by side, like a merge
join: each entry takes the related rows that carry its id from the head of each stream. On
PostgreSQL each query is a server-side cursor, on SQLite a cursor fetched in chunks, so memory
stays flat (decision 0047).
"""

from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import Any

from django.db.models import Model, QuerySet

from .models import Contact, Helpline

CHUNK = 500  # rows fetched per round trip from each of the four cursors


def _grouped(rows: Iterable[Any], key: str) -> Iterator[tuple[int, list[Any]]]:
    for helpline_id, group in groupby(rows, key=lambda row: getattr(row, key)):
        yield helpline_id, list(group)


def _attach(helpline: Helpline, name: str, objects: list[Model]) -> None:
    """What ``prefetch_related`` leaves behind: ``helpline.<name>.all()`` answers from memory."""
    related = getattr(helpline, name).get_queryset()
    related._result_cache = objects
    related._prefetch_done = True
    helpline.__dict__.setdefault("_prefetched_objects_cache", {})[name] = related


class _Stream:
    """One ordered stream of (helpline id, rows), read as far as the entry asked for."""

    def __init__(self, rows: Iterable[Any], key: str) -> None:
        self._groups = _grouped(rows, key)
        self._head: tuple[int, list[Any]] | None = next(self._groups, None)

    def take(self, helpline_id: int) -> list[Any]:
        # Rows of entries the filter dropped cannot appear: every stream has the same filter.
        if self._head is None or self._head[0] != helpline_id:
            return []
        rows = self._head[1]
        self._head = next(self._groups, None)
        return rows


def helplines_streamed(country: str | None = None) -> Iterator[Helpline]:
    """Every entry (or one country's) in the directory's order, with its contacts, topics and
    pairs attached as if prefetched; four queries in all."""
    entries: QuerySet[Helpline] = Helpline.objects.select_related("organisation")
    related: dict[str, str] = {}
    pair_related: dict[str, str] = {}
    if country:
        entries = entries.filter(country_id=country.upper())
        related = {"helpline__country_id": country.upper()}
        pair_related = {"from_helpline__country_id": country.upper()}
    entries = entries.order_by("country_id", "slug")
    by_entry = ("helpline__country_id", "helpline__slug")
    contacts = Contact.objects.filter(**related).order_by(*by_entry, "position")
    topic_links = (
        Helpline.topics.through.objects.filter(**related)
        .select_related("topic")
        .order_by(*by_entry, "topic__code")
    )
    pair_links = (
        Helpline.paired_with.through.objects.filter(**pair_related)
        .select_related("to_helpline")
        .only("from_helpline_id", "to_helpline__slug")
        .order_by("from_helpline__country_id", "from_helpline__slug", "to_helpline__slug")
    )
    contact_stream = _Stream(contacts.iterator(chunk_size=CHUNK), "helpline_id")
    topic_stream = _Stream(topic_links.iterator(chunk_size=CHUNK), "helpline_id")
    pair_stream = _Stream(pair_links.iterator(chunk_size=CHUNK), "from_helpline_id")
    for helpline in entries.iterator(chunk_size=CHUNK):
        _attach(helpline, "contacts", contact_stream.take(helpline.pk))
        _attach(helpline, "topics", [link.topic for link in topic_stream.take(helpline.pk)])
        _attach(
            helpline, "paired_with", [link.to_helpline for link in pair_stream.take(helpline.pk)]
        )
        yield helpline
