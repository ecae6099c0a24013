"""Differences between two versions of a submission, word by word (character by character
in Chinese, which has no spaces between words)."""

import difflib
import re
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|\w+|\s+|[^\w\s]")


@dataclass(frozen=True)
class Change:
    op: str  # "equal" | "insert" | "delete"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    field: str
    changes: list[Change]


def text_diff(old: str, new: str) -> list[Change]:
    """>>> [(c.op, c.text) for c in text_diff("safe online", "safe offline")]
    [('equal', 'safe '), ('delete', 'online'), ('insert', 'offline')]
    """
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes.append(Change("equal", "".join(before[i1:i2])))
            continue
        if i2 > i1:
            changes.append(Change("delete", "".join(before[i1:i2])))
        if j2 > j1:
            changes.append(Change("insert", "".join(after[j1:j2])))
    return changes


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def content_diff(old: dict[str, Any], new: dict[str, Any]) -> list[FieldDiff]:
    """The fields that differ, in the order of ``new``."""
    return [
        FieldDiff(field, text_diff(_as_text(old.get(field)), _as_text(new.get(field))))
        for field in new
        if old.get(field) != new.get(field)
    ]
