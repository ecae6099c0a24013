"""The suppression audit of a table before it is published: what an attacker can work out
about each suppressed cell from the published cells of its breakdown and their total.

A survey indicator is published breakdown by breakdown, each level with its unweighted n
(helpline counts: the count itself), and the levels' n add up to the national total's n (at
most: respondents without a level are in the total only). A suppressed cell is published
without its n, but the line ``n_1 + … + n_k = n_total`` ties it to the others. For each line
the engine's audit (:func:`copcore.stats.audit.table_audit`, linear programmes solved by
HiGHS, with the true n) gives the smallest and largest n consistent with what is published.

- A cell hidden by the disclosure rule itself (a *primary* suppression) must stay uncertain
  by ``AUDIT_PROTECTION`` of its n above and below (τ-ARGUS's and sdcTable's protection
  levels, which also apply to primary cells only).
- Any suppressed cell, primary or complementary, must not be recovered exactly.

Tables published together can be tied by more equations than their breakdowns (a category is
the sum of its sub-categories: :mod:`.contact_disclosure`); both functions take them and audit
each the same way.

:func:`cells_audit_protect` (run by the check, before the preview) adds complementary
suppressions, the smallest published level of the failing line first and the total only when
no level is left, until every line passes; :func:`cells_audit` (run at publication) lists
what still fails. See ``docs/decisions/0035-survey-designs-on-the-platform.md``.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from copcore.stats.audit import Table2D, table_audit

from .engine import TOTAL, Cell, StatsError

AUDIT_FLAG = "audit"
AUDIT_PROTECTION = 0.1
SECONDARY = ("complementary", AUDIT_FLAG)
Line = tuple[list[int], int]


@dataclass(frozen=True)
class AuditFailure:
    """A suppressed cell whose n can be worked out too closely: ``status`` ``exact`` or
    ``narrow``."""

    indicator: str
    measure: str
    breakdown: str
    breakdown_value: str
    status: str


def _lines(cells: Sequence[Cell]) -> list[Line]:
    """Each breakdown of each indicator as the positions of its levels and of their total
    (the ``_T`` cell). Only computed cells with ``n`` take part."""
    totals: dict[tuple[str, str, str], int] = {}
    levels: dict[tuple[str, str, str, str], list[int]] = {}
    for i, cell in enumerate(cells):
        if not cell.computed or cell.n is None:
            continue
        key = (cell.indicator, cell.measure, cell.statistic)
        if cell.breakdown == TOTAL:
            totals[key] = i
        else:
            levels.setdefault((*key, cell.breakdown), []).append(i)
    return [
        (members, totals[key[:3]])
        for key, members in levels.items()
        if key[:3] in totals and len(members) > 1
    ]


def _hidden(cell: Cell) -> bool:
    # An empty cell (no respondent) is suppressed only because it has no estimate: its n, 0,
    # is no secret, so the attacker is given it.
    return cell.suppressed and cell.flag != "empty"


def _failing(cells: Sequence[Cell], line: Line, protection: float) -> list[tuple[int, str]]:
    """The positions (in ``cells``) of the line's suppressed cells that fail, with why."""
    members, total = line
    positions = (*members, total)
    values = [np.nan if _hidden(cells[i]) else float(cells[i].n or 0) for i in positions]
    if not np.isnan(values).any():
        return []
    labels = tuple(str(k) for k in range(len(positions)))
    table = Table2D(np.array([values]), ("n",), labels, None, len(members))
    original = np.array([[float(cells[i].n or 0) for i in positions]])
    try:
        audit = table_audit(table, protection=protection, original=original)
    except StatsError:  # published n that do not add up: there is no line to attack
        return []
    out = []
    for interval in audit:
        index = positions[int(interval.column)]
        primary = cells[index].flag not in SECONDARY
        if interval.status == "exact" or (interval.status == "narrow" and primary):
            out.append((index, interval.status))
    return out


def _suppress(cell: Cell) -> Cell:
    return Cell(
        **{
            **cell.__dict__,
            "suppressed": True,
            "flag": AUDIT_FLAG,
            "estimate": None,
            "se": None,
            "ci_low": None,
            "ci_high": None,
            "deff": None,
        }
    )


def _protect_line(out: list[Cell], line: Line, protection: float) -> bool:
    members, total = line
    changed = False
    for _step in range(len(members) + 1):
        if not _failing(out, line, protection):
            break
        published = [i for i in members if not _hidden(out[i])]
        if not published and not _hidden(out[total]):
            published = [total]
        if not published:
            break
        choice = min(published, key=lambda i: (out[i].n or 0, i))
        out[choice] = _suppress(out[choice])
        changed = True
    return changed


def _all_lines(cells: Sequence[Cell], equations: Sequence[Sequence[int]]) -> list[Line]:
    """Each breakdown's line, and each further equation (positions, the total first) that ties
    the published tables together — such as a category and its sub-categories — once."""
    lines = _lines(cells)
    seen = {(frozenset(members), total) for members, total in lines}
    for equation in equations:
        total, members = equation[0], list(equation[1:])
        usable = all(cells[i].computed and cells[i].n is not None for i in equation)
        if len(members) > 1 and usable and (frozenset(members), total) not in seen:
            seen.add((frozenset(members), total))
            lines.append((members, total))
    return lines


def cells_audit_protect(
    cells: Sequence[Cell],
    protection: float = AUDIT_PROTECTION,
    equations: Sequence[Sequence[int]] = (),
) -> list[Cell]:
    """``cells`` with the complementary suppressions (flag ``audit``) the audit needs, on every
    breakdown and on every further ``equation`` (positions in ``cells``, the total first)."""
    out = list(cells)
    lines = _all_lines(out, equations)
    # A total suppressed for one breakdown is shared by the others, where their levels may
    # give it away: pass over every breakdown again until nothing changes.
    for _pass in range(len(lines) + 1):
        changed = False
        for line in lines:
            changed = _protect_line(out, line, protection) or changed
        if not changed:
            break
    return out


def cells_audit(
    cells: Sequence[Cell],
    protection: float = AUDIT_PROTECTION,
    equations: Sequence[Sequence[int]] = (),
) -> list[AuditFailure]:
    """Every suppressed cell the audit finds not protected, line by line."""
    failures = []
    for line in _all_lines(cells, equations):
        for index, status in _failing(cells, line, protection):
            cell = cells[index]
            failures.append(
                AuditFailure(
                    cell.indicator, cell.measure, cell.breakdown, cell.breakdown_value, status
                )
            )
    return failures
