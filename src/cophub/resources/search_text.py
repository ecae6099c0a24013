"""Text prepared for full-text search in the six languages, on SQLite (FTS5) and PostgreSQL
(``simple`` configuration) alike.

Both engines split text into words at spaces and punctuation. That works for Arabic, French,
Russian and Spanish once spelling variants are folded, but not for Chinese, which is written
without spaces: a whole sentence would become one "word" that no query matches. So, before
indexing, every run of Han characters is written out as its characters and its overlapping
character pairs (bigrams, the usual unit of Chinese full-text search, see Kwok 1997, "Comparing
representations in Chinese information retrieval"); a query is cut the same way and all its
parts must match. Arabic is folded the usual way for search: diacritics (harakat) and tatweel
removed, hamza forms of alef, alef maqsura and ta marbuta unified, and words written with the
article (al-, wa-al-) also indexed without it.

>>> index_text("保护儿童")
'保 护 儿 童 保护 护儿 儿童'
>>> query_terms("儿童")
['儿童']
>>> index_text("الأطفالُ")
'الاطفال اطفال'
>>> query_terms("أطفال")
['اطفال']
"""

import re
import unicodedata

# Han ideographs: CJK Unified Ideographs, Extension A and the compatibility block.
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"\w+")
_ARABIC_FOLD = str.maketrans({"ى": "ي", "ة": "ه", "ـ": None, "ٱ": "ا"})
_ARABIC_ARTICLES = ("وال", "بال", "فال", "كال", "لل", "ال")
_ARABIC_LETTER = re.compile(r"[\u0620-\u064a]")


def normalize(text: str) -> str:
    """Case-folded, without diacritics (Latin accents, Arabic harakat and hamza carriers,
    Cyrillic breve), Arabic letter variants unified; Han characters are left as they are."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped).translate(_ARABIC_FOLD)


def _han_parts(run: str, *, with_characters: bool) -> list[str]:
    bigrams = [run[i : i + 2] for i in range(len(run) - 1)]
    if len(run) == 1:
        return [run]
    return [*run, *bigrams] if with_characters else bigrams


def _word_parts(word: str, *, for_index: bool) -> list[str]:
    parts: list[str] = []
    position = 0
    for match in _HAN_RUN.finditer(word):
        if match.start() > position:
            parts.append(word[position : match.start()])
        parts.extend(_han_parts(match.group(), with_characters=for_index))
        position = match.end()
    if position < len(word):
        rest = word[position:]
        parts.append(rest)
        if for_index and _ARABIC_LETTER.match(rest):
            for article in _ARABIC_ARTICLES:
                if rest.startswith(article) and len(rest) - len(article) >= 2:
                    parts.append(rest[len(article) :])
                    break
    return parts


def index_text(text: str) -> str:
    """The words to index for ``text``, space-separated."""
    words = _WORD.findall(normalize(text))
    return " ".join(part for word in words for part in _word_parts(word, for_index=True))


def query_terms(query: str) -> list[str]:
    """The terms a query is cut into; a document matches when it holds every term."""
    words = _WORD.findall(normalize(query))
    return [part for word in words for part in _word_parts(word, for_index=False)]
