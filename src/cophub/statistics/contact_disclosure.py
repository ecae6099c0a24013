"""Disclosure control of a helpline's contact counts across all the tables published together.

The counts are published one breakdown at a time (quarter, reason, topic, channel, …) and as
two cross-tables (quarter × reason category, quarter × topic group). The tables are tied
together: a reason category is the sum of its sub-categories, a topic the sum of the reasons
mapped to it by the crosswalk, a topic group the sum of its topics, a quarter the sum of its
row of a cross-table. The engine's rule (:func:`engine.cells_disclose`: primary suppression,
then complementary suppression within each breakdown) does not see those ties, so a suppressed
cell could be recovered as "parent minus the published children". This module writes those
ties as equations; the suppression audit (:mod:`.disclosure_audit`, the one mechanism for every
table) audits each equation as it audits a breakdown and suppresses more until each passes.

Like all cell suppression of linked tables audited equation by equation, this protects
against recovery from any single equation; combining several equations can still narrow a
suppressed cell."""

from collections import defaultdict
from collections.abc import Callable, Sequence

from . import engine

# (coarse breakdown, fine breakdown, fine value -> coarse value)
Relation = tuple[str, str, Callable[[str], str]]


def equations(cells: Sequence[engine.Cell], relations: Sequence[Relation]) -> list[list[int]]:
    """Each equation as the positions of its cells, the total first."""
    index = {(cell.breakdown, cell.breakdown_value): i for i, cell in enumerate(cells)}
    by_breakdown: dict[str, list[int]] = defaultdict(list)
    for i, cell in enumerate(cells):
        if cell.breakdown != engine.TOTAL:
            by_breakdown[cell.breakdown].append(i)
    out: list[list[int]] = []
    grand = index.get((engine.TOTAL, engine.TOTAL))
    if grand is not None:
        out.extend([grand, *members] for members in by_breakdown.values())
    for coarse, fine, parent_of in relations:
        groups: dict[str, list[int]] = defaultdict(list)
        for i in by_breakdown.get(fine, []):
            groups[parent_of(cells[i].breakdown_value)].append(i)
        for parent, members in groups.items():
            total = index.get((coarse, parent))
            if total is not None:
                out.append([total, *members])
    return out
