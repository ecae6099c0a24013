"""The production settings as ``cophub serve`` runs them, with two test conveniences: static
files straight from the apps (``collectstatic`` takes most of a minute) and cookies over plain
HTTP on 127.0.0.1 (production marks them HTTPS-only)."""

from cophub.config.settings.production import *  # noqa: F403
from cophub.config.settings.production import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
