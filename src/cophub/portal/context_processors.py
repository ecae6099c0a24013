from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils.translation import get_language, get_language_info

from cophub.reference.languages import RTL_LANGUAGE_CODES


def site(request: HttpRequest) -> dict[str, Any]:
    """Language switcher links (same page in each language) and the quick-exit target: this
    site's ``/exit/``, which clears the site's data and sends the visitor on to the neutral
    site (``COPHUB_QUICK_EXIT_URL``)."""
    current = get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path()
    switcher = [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
    return {
        "language_switcher": switcher,
        "text_direction": "rtl" if current in RTL_LANGUAGE_CODES else "ltr",
        "quick_exit_url": reverse("quick_exit"),
    }
