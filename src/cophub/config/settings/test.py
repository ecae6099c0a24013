"""Test settings: like demo, with in-memory e-mail, fast hashing and tasks run inline."""

import secrets

from .base import *  # noqa: F403
from .environment import database_settings, env_str

# Tests use their own database (pytest-django creates it): in memory unless DATABASE_URL names
# a server, such as the PostgreSQL run of `make test`.
DATABASES = database_settings("sqlite://:memory:")

COPHUB_DEMO = True
# Tests read reach counts right after the request that made them.
COPHUB_REACH_FLUSH_SECONDS = 0
# The task queue runs inline in tests: a refresh of coordination's summaries after every save
# made outside a transaction (the shared fixtures) would rebuild them thousands of times. The
# tests of the summaries turn it on (decision 0041).
COPHUB_SUMMARIES_REFRESH = False
SECRET_KEY = env_str("SECRET_KEY") or secrets.token_urlsafe(50)
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests sign users in with `force_login(user, backend="django.contrib.auth.backends.ModelBackend")`;
# listed last, it resolves those sessions. Password sign-in never reaches it for a demo account:
# AccountBackend refuses those with PermissionDenied, which ends the search.
AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "django.contrib.auth.backends.ModelBackend"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files straight from the apps (no collectstatic before tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
