"""The hub's content languages: the six ITU languages (pages and files), and optional extra
languages for downloadable files only (``RESOURCES_EXTRA_LANGUAGES``)."""

from django.conf import settings
from django.utils.translation import get_language_info

from cophub.reference.languages import RTL_LANGUAGE_CODES, UI_LANGUAGE_CODES

# Scripts written right to left among the languages an extra locale may use.
_RTL_EXTRA = frozenset({"fa", "he", "ur", "ps", "ug", "yi", "dv", "ckb"})


def content_languages() -> tuple[str, ...]:
    extra = tuple(
        code for code in settings.COPHUB_RESOURCES_EXTRA_LANGUAGES if code not in UI_LANGUAGE_CODES
    )
    return UI_LANGUAGE_CODES + extra


def language_name(code: str) -> str:
    """The language's own name for itself (``العربية``, ``中文``...), or the code if unknown."""
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return code


def language_direction(code: str) -> str:
    return "rtl" if code in RTL_LANGUAGE_CODES or code in _RTL_EXTRA else "ltr"


def language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in content_languages()]
