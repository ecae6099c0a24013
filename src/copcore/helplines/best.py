"""One-answer mode: the single best helpline for a child now, the helplines paired with it, and
one emergency number — for apps and devices that can show only one number.

The rule (docs/decisions/0028-one-answer-and-quick-exit.md):

1. Candidates are the resolver's results in its own ranking order (``resolve._rank``): open now
   first, then child helplines before general ones, age in range, the child's language, topic,
   free of charge, channel order. "Best" adds no ranking of its own.
2. Pairs, both or neither (the rule of ThroughLine's Find A Helpline): a helpline paired with
   others (say, a line for children and one for their parents) stays a candidate only when
   every helpline it is paired with has a result for this child too — serving the place and
   reachable through the channels asked for. Otherwise it is left out, partners and all.
3. The best is the first remaining result; each helpline paired with it adds its own
   best-ranked result, in ranking order (the pairs of a pair are not followed).
4. The emergency fallback is the first emergency number of the resolution.

Pairing is symmetric: a helpline listed by another is paired with it even if its own entry
does not say so.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import Helpline
from .resolve import Resolution, Result


@dataclass(frozen=True)
class OneAnswer:
    country: str
    best: Result | None
    paired: tuple[Result, ...]
    fallback: Result | None
    no_helpline_known: bool


def helpline_pairs(helplines: Iterable[Helpline]) -> dict[str, frozenset[str]]:
    """Each helpline's partners, made symmetric."""
    pairs: dict[str, set[str]] = {}
    for helpline in helplines:
        for partner in helpline.paired_with:
            if partner != helpline.id:
                pairs.setdefault(helpline.id, set()).add(partner)
                pairs.setdefault(partner, set()).add(helpline.id)
    return {helpline: frozenset(partners) for helpline, partners in pairs.items()}


def paired_order(
    resolution: Resolution, pairs: Mapping[str, frozenset[str]]
) -> tuple[tuple[Result, ...], int]:
    """The results with rule 2 applied, reordered so that the best comes first followed by
    its partners' best results, then the rest in ranking order; and how many lead (the best
    and its partners: 0 when nothing remains)."""
    first: dict[str, Result] = {}
    for result in resolution.results:
        first.setdefault(result.helpline, result)
    kept = [
        result
        for result in resolution.results
        if all(partner in first for partner in pairs.get(result.helpline, ()))
    ]
    if not kept:
        return (), 0
    best = kept[0]
    partners = pairs.get(best.helpline, frozenset())
    # Partners come from all results: a partner with unmet pairs of its own still goes with
    # the best (rule 3 does not follow the pairs of a pair).
    leading = [best] + [r for r in first.values() if r.helpline in partners]
    rest = [result for result in kept if all(result is not lead for lead in leading)]
    return (*leading, *rest), len(leading)


def helpline_one_answer(resolution: Resolution, helplines: Iterable[Helpline]) -> OneAnswer:
    """The one answer (rules above) from a resolution and the directory it was made from.

    >>> from datetime import UTC, date, datetime
    >>> from .model import Channel, Contact, Kind, Source
    >>> source = Source(url="https://example.org", type="other")
    >>> kids = Helpline("kids", {"en": "Kids"}, "KE", Kind.CHILD_HELPLINE, "UTC",
    ...                 (Contact(Channel.VOICE, "116"),), source,
    ...                 paired_with=frozenset({"parents"}))
    >>> parents = Helpline("parents", {"en": "Parents"}, "KE", Kind.GENERAL_HELPLINE, "UTC",
    ...                    (Contact(Channel.VOICE, "0800 1"),), source)
    >>> from .resolve import Query, helpline_resolve
    >>> now = datetime(2026, 1, 1, tzinfo=UTC)
    >>> resolution = helpline_resolve([kids, parents], Query("KE", now, date(2026, 1, 1)))
    >>> answer = helpline_one_answer(resolution, [kids, parents])
    >>> answer.best.display, [r.display for r in answer.paired]
    ('116', ['0800 1'])
    """
    ordered, leading = paired_order(resolution, helpline_pairs(helplines))
    return OneAnswer(
        country=resolution.country,
        best=ordered[0] if leading else None,
        paired=ordered[1:leading],
        fallback=resolution.fallback[0] if resolution.fallback else None,
        no_helpline_known=resolution.no_helpline_known,
    )
