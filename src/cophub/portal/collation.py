"""Sorting names as readers of a language expect, without ICU (PyICU is not a dependency).

:func:`collation_key` approximates the CLDR collation at primary strength with the Unicode
data Python ships: the text is decomposed (NFD) and case-folded, and accents and other
combining marks are ignored — so "Équateur" sorts with the E's in French, "Ёлка" with the Е's
in Russian and "أوغندا" with the alefs in Arabic, where code-point order would put them before
"А…" or before "ال…" — except the letters a language's CLDR tailoring treats as letters of their
own ("ñ" after "n" in Spanish, "й" after "и" in Russian). Ties are broken by the full text, so
the order is total and stable.

Not covered: Chinese, whose CLDR default is pinyin order (needs ICU's data); Chinese names are
left in code-point order, which for ideographs is the radical-and-stroke order of Unicode's
Unihan collation. Contractions and secondary/tertiary levels of other languages are not
modelled."""

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")
_AFTER = "\U0010ffff"  # sorts after every letter: "n" + this comes after every "n…"

# Letters a language sorts as letters of their own (after the base letter), written NFD.
_OWN_LETTERS = {
    "es": {"n\u0303": "n" + _AFTER},
    "ru": {"\u0438\u0306": "\u0438" + _AFTER},
}
_CODE_POINT_LANGUAGES = ("zh-hans", "zh")


def collation_key(text: str, language: str) -> tuple[str, str]:
    """A sort key for ``text`` in ``language`` (a Django language code)."""
    if language.lower() in _CODE_POINT_LANGUAGES:
        return (text, text)
    decomposed = unicodedata.normalize("NFD", text.casefold())
    for letter, key in _OWN_LETTERS.get(language.lower().split("-")[0], {}).items():
        decomposed = decomposed.replace(letter, key)
    primary = "".join(c for c in decomposed if not unicodedata.combining(c))
    return (primary, text)


def collated(items: Iterable[T], language: str, key: Callable[[T], str]) -> list[T]:
    """``items`` sorted by the collation key of ``key(item)`` in ``language``."""
    return sorted(items, key=lambda item: collation_key(key(item), language))
