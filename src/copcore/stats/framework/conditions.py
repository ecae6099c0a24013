"""Conditions over harmonised variables: the model, parsing, and what a condition reads.

A condition is ``{var, eq}``, ``{var, in: [...]}``, ``{var, between: [lo, hi]}``,
``{all: [...]}``, ``{any: [...]}`` or ``{not: ...}``; it is evaluated in Kleene's strong
three-valued logic (:func:`copcore.stats.tabulate.conditions.condition_evaluate`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Value = bool | int | str


@dataclass(frozen=True)
class Compare:
    """``var`` equals ``values[0]`` (``eq``), is one of ``values`` (``in``) or lies within the
    inclusive range ``values[0]..values[1]`` (``between``)."""

    var: str
    op: Literal["eq", "in", "between"]
    values: tuple[Value, ...]


@dataclass(frozen=True)
class AllOf:
    """True when every part is true; false when one is false; unknown otherwise (Kleene)."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """True when one part is true; false when every part is false; unknown otherwise."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """Negation; unknown stays unknown."""

    part: Condition


Condition = Compare | AllOf | AnyOf | Not


def condition_parse(data: Any) -> Condition:
    """Build a condition from its (schema-checked) document form."""
    if "all" in data:
        return AllOf(tuple(condition_parse(p) for p in data["all"]))
    if "any" in data:
        return AnyOf(tuple(condition_parse(p) for p in data["any"]))
    if "not" in data:
        return Not(condition_parse(data["not"]))
    if "eq" in data:
        return Compare(data["var"], "eq", (data["eq"],))
    if "in" in data:
        return Compare(data["var"], "in", tuple(data["in"]))
    return Compare(data["var"], "between", (data["between"][0], data["between"][1]))


def condition_variables(condition: Condition | None) -> tuple[str, ...]:
    """Harmonised variables a condition reads, in first-use order."""
    out: list[str] = []

    def walk(node: Condition | None) -> None:
        if node is None:
            return
        if isinstance(node, Compare):
            if node.var not in out:
                out.append(node.var)
        elif isinstance(node, Not):
            walk(node.part)
        else:
            for part in node.parts:
                walk(part)

    walk(condition)
    return tuple(out)


def alternative_variables(condition: Condition | None) -> frozenset[str]:
    """Variables that occur only as alternatives (inside an ``any``): a survey lacking them
    can still decide the condition through the other alternatives."""
    required: set[str] = set()
    alternatives: set[str] = set()

    def walk(node: Condition | None, inside_any: bool) -> None:
        if node is None:
            return
        if isinstance(node, Compare):
            (alternatives if inside_any else required).add(node.var)
        elif isinstance(node, Not):
            walk(node.part, inside_any)
        else:
            for part in node.parts:
                walk(part, inside_any or isinstance(node, AnyOf))

    walk(condition, False)
    return frozenset(alternatives - required)
