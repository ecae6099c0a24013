"""Records translated through the translation matrix: where their segments come from and where
approved translations go, by the prefix of the tracked item's key (``taxonomy``,
``coordination.report:42``). The taxonomies are one source (``taxonomy.py`` registers it);
other modules register theirs (the coordination reports' editors' texts), so the matrix, the
workspace, PO/XLIFF export and import, and review serve them all without the hub knowing
those modules. This registry imports nothing of the hub, so every part may use it."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RecordSource:
    # key -> [(context, source text)], in document order
    segments: Callable[[str], list[tuple[str, str]]]
    # key, language -> {context: approved text}
    texts: Callable[[str, str], dict[str, str]]
    # key, language, {context: approved text}: make the translation public
    write: Callable[[str, str, dict[str, str]], None]


_SOURCES: dict[str, RecordSource] = {}


def record_source_register(prefix: str, source: RecordSource) -> None:
    _SOURCES[prefix] = source


def record_source(key: str) -> RecordSource:
    """The source of the item with ``key`` (its prefix is what comes before ``:``)."""
    return _SOURCES[key.split(":", 1)[0]]
