"""Translated messages of the whole package: catalogues as data, one JSON file per language.

``messages/<lang>.json`` maps each error ``code`` (and each label the commands print, such as
``validate_ok`` or ``field_definition``) to a text with named ``{placeholders}``
(str.format_map). Languages: the six official UN languages. This is the package's only
message catalogue; every error of the package is rendered here, at the edge.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources

from copcore.stats.errors import ParamValue, StatsError

LANGUAGES: tuple[str, ...] = ("ar", "zh-hans", "en", "fr", "ru", "es")
DEFAULT_LANGUAGE = "en"


@cache
def catalogue_load(lang: str) -> Mapping[str, str]:
    """The message catalogue of ``lang`` (one of :data:`LANGUAGES`)."""
    text = resources.files("copcore.stats").joinpath("messages", f"{lang}.json").read_text("utf-8")
    data = json.loads(text)
    return {str(key): str(value) for key, value in data.items()}


def language_resolve(explicit: str | None, environ: Mapping[str, str]) -> str:
    """Pick the language: ``explicit`` (``--lang``), then ``COPSTATS_LANG``, then ``LANG``.

    Accepts ``fr``, ``fr_FR.UTF-8``, ``zh_CN``, ``zh-Hans`` …; falls back to English.
    """
    for candidate in (explicit, environ.get("COPSTATS_LANG"), environ.get("LANG")):
        if not candidate:
            continue
        code = candidate.split(".")[0].split("@")[0].replace("_", "-").lower()
        if code.startswith("zh"):
            if code in ("zh-tw", "zh-hk", "zh-hant", "zh-mo"):
                continue
            return "zh-hans"
        base = code.split("-")[0]
        if base in LANGUAGES:
            return base
    return DEFAULT_LANGUAGE


def message_format(code: str, params: Mapping[str, ParamValue], lang: str) -> str:
    """Render message ``code`` in ``lang`` (English if the language lacks it)."""
    catalogue = catalogue_load(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    template = catalogue.get(code) or catalogue_load(DEFAULT_LANGUAGE).get(code)
    if template is None:
        return f"{code}: {dict(params)}"
    return template.format_map({key: _display(value) for key, value in params.items()})


def message_render(error: StatsError, lang: str) -> str:
    """The error's message in ``lang``, prefixed for the command line."""
    message = message_format(error.code, error.params, lang)
    return message_format("error_prefix", {"message": message}, lang)


def _display(value: ParamValue) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
