"""ITU-style document numbers (the deadline rules are in ``deadlines.py``).

``CWG-COP-<meeting>/<seq>(Rev.<k>)-<E|F|S|A|C|R>``: the language letter is that of the
version (A Arabic, C Chinese, E English, F French, R Russian, S Spanish). Other bodies set
their own pattern with the fields ``{prefix}``, ``{meeting}``, ``{seq}``, ``{rev}``, ``{lang}``."""

LANGUAGE_LETTERS = {"ar": "A", "zh-hans": "C", "en": "E", "fr": "F", "ru": "R", "es": "S"}


def language_letter(language: str) -> str:
    return LANGUAGE_LETTERS.get(language, language.upper())


def format_number(pattern: str, *, prefix: str, meeting: int, seq: int, rev: int, lang: str) -> str:
    return pattern.format(
        prefix=prefix,
        meeting=meeting,
        seq=seq,
        rev=f"(Rev.{rev})" if rev else "",
        lang=language_letter(lang),
    )
