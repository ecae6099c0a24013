"""What the coordination pages share beyond ``cophub.portal.pages``: the page's language."""

from django.http import HttpRequest
from django.utils.translation import get_language

from cophub.reference.languages import UI_LANGUAGE_CODES


def page_language(request: HttpRequest) -> str:
    """The language the page is shown in (one of the six; English otherwise)."""
    language = get_language() or "en"
    return language if language in UI_LANGUAGE_CODES else "en"
