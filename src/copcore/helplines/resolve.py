"""The resolver: from a directory and a child's situation to a ranked list of what to dial or
message now. It never invents a number: a country without a known helpline gets no results,
its emergency numbers as fallback, and a plain statement of that."""

from collections.abc import Iterable, Mapping

from .model import Helpline
from .prepared import directory_prepare, prepared_hour, prepared_resolve
from .resolution import (
    CHANNEL_RANK,
    DEFAULT_STALE_AFTER,
    KIND_RANK,
    Query,
    Resolution,
    Result,
    is_stale,
    topic_matches,
)

__all__ = [
    "CHANNEL_RANK",
    "DEFAULT_STALE_AFTER",
    "KIND_RANK",
    "Query",
    "Resolution",
    "Result",
    "helpline_resolve",
    "is_stale",
    "topic_matches",
]


def helpline_resolve(
    helplines: Iterable[Helpline],
    query: Query,
    topic_parents: Mapping[str, str | None] | None = None,
) -> Resolution:
    """Every ranked, dialable answer for ``query`` from ``helplines`` (best first), and the
    country's emergency numbers as ``fallback``. The ranking (lower first): open now (then
    unknown hours, then closed); child helpline before general before CSAM hotline; age in
    range; language spoken; topic served; free of charge; channel order; then helpline id.
    Unbounded: ``prepared.prepared_resolve`` gives the bounded answer from a prepared hour."""
    # One ranking for every caller: the directory prepared for the hour of ``query.at``.
    prepared = directory_prepare(helplines, query.country, prepared_hour(query.at))
    return prepared_resolve(prepared, query, topic_parents, bound=None)
