"""Disclosure control of a helpline's contact counts across all the tables published together.

The counts are published one breakdown at a time (quarter, reason, topic, channel, …) and as
two cross-tables (quarter × reason category, quarter × topic group). The tables are tied
together: a reason category is the sum of its sub-categories, a topic the sum of the reasons
mapped to it by the crosswalk, a topic group the sum of its topics, a quarter the sum of its
row of a cross-table. The engine's rule (:func:`engine.cells_disclose`: primary suppression,
then complementary suppression within each breakdown) does not see those ties, so a suppressed
cell could be recovered as "parent minus the published children". This module adds, to a fixed
point, the same complementary rule on every such equation: an equation (a total and the cells
that add up to it) holding exactly one suppressed cell gets its smallest other cell suppressed.

Like all cell suppression of linked tables, this protects against recovery from any single
equation; combining several equations can still narrow a suppressed cell (see
``copcore.stats.audit`` for the full linear-programming audit of a two-way table)."""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace

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


def linked_suppression(
    cells: Sequence[engine.Cell], relations: Sequence[Relation]
) -> list[engine.Cell]:
    """``cells`` (already through the engine's rule) with the complementary suppressions that
    the links between the tables need."""
    suppressed = [cell.suppressed for cell in cells]
    if not any(suppressed):
        return list(cells)
    lines = equations(cells, relations)
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [i for i in line if suppressed[i]]
            shown = [i for i in line if not suppressed[i]]
            if len(hidden) != 1 or not shown:
                continue
            pick = min(shown, key=lambda i: (cells[i].n or 0, i))
            suppressed[pick] = True
            changed = True
    return [
        cell
        if cell.suppressed or not suppressed[i]
        else replace(cell, suppressed=True, flag="complementary", estimate=None)
        for i, cell in enumerate(cells)
    ]
