"""Production settings: every secret comes from the environment; startup fails without it."""

from .base import *  # noqa: F403
from .base import LOGGING, log_format
from .environment import env_bool, env_int, env_list, env_required, env_str

SECRET_KEY = env_required("SECRET_KEY")
COPHUB_SMS_CLIENT = env_str("SMS_CLIENT", "africastalking")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
COPHUB_DEMO = False

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Joining the browsers' HSTS preload list binds every subdomain for months: the operator decides
# (SECURE_HSTS_PRELOAD=true), so the check that asks for it is silenced here on purpose.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Logs as JSON lines, one object per line, unless LOG_FORMAT=text.
LOG_FORMAT = log_format("json")
_CONSOLE = {**LOGGING["handlers"]["console"], "formatter": LOG_FORMAT}
LOGGING = {**LOGGING, "handlers": {**LOGGING["handlers"], "console": _CONSOLE}}
