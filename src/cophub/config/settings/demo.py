"""Demo settings: the demo's own database, console e-mail, a throwaway secret kept under var/."""

import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR
from .environment import database_settings, env_str

DEBUG = False
COPHUB_DEMO = True
# The demo's data (accounts with a published password) lives in its own file, which the
# production settings (var/cophub.sqlite3 by default) never open unless told to.
DATABASES = database_settings(f"sqlite:///{VAR_DIR / 'demo.sqlite3'}")


def _throwaway_secret() -> str:
    """A secret generated once per demo checkout and kept in var/ (never committed)."""
    path = VAR_DIR / "demo-secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY") or _throwaway_secret()
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
