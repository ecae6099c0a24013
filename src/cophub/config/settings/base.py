"""Settings shared by every deployment. Values that differ between deployments are read from
the environment (see ``environment.py``); nothing secret is written here."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .environment import database_settings, env_bool, env_int, env_list, env_str

SRC_DIR = Path(__file__).resolve().parents[3]
PROJECT_DIR = SRC_DIR.parent
VAR_DIR = Path(env_str("COPHUB_VAR_DIR", str(PROJECT_DIR / "var")) or "var")

DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Before django_tasks_db: its `cophub db_worker` (recovering abandoned tasks) replaces theirs.
    "cophub.operations",
    "django_tasks",
    "django_tasks_db",
    "auditlog",
    "axes",
    "ninja",
    # Wagtail and wagtail-localize: the resources hub (guidelines, courses, translations).
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces "wagtail.locales"
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "cophub.portal",
    "cophub.reference",
    "cophub.accounts",
    "cophub.helplines",
    "cophub.strategies",
    "cophub.statistics",
    "cophub.resources",
    "cophub.practices",
    "cophub.coordination",
]

MIDDLEWARE = [
    # First: the request id, then the log line and metrics of every answer, redirects included.
    "cophub.operations.request_observation.request_id_middleware",
    "cophub.operations.request_observation.request_observation_middleware",
    # The resolver's answers kept whole while exact, ahead of everything it would repeat.
    "cophub.helplines.answer_cache.prepared_answer_middleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # After LocaleMiddleware (its refusals are translated), before anything reads the input.
    "cophub.portal.middleware.text_policy_middleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cophub.accounts.middleware.api_token_middleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cophub.portal.middleware.no_third_party_middleware",
    # After the line above, so its CMS-only policy is the one kept (see the middleware).
    "cophub.resources.middleware.cms_content_security_policy_middleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cophub.operations.audit_middleware.AuditMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cophub.config.urls"
WSGI_APPLICATION = "cophub.config.wsgi.application"
ASGI_APPLICATION = "cophub.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cophub.portal.context_processors.site",
            ],
        },
    },
]

# Database: an embedded SQLite file under var/ unless DATABASE_URL names another server.
DATABASES = database_settings(f"sqlite:///{VAR_DIR / 'cophub.sqlite3'}")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and rate limits: local memory, or Redis when REDIS_URL is set.
_REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _REDIS_URL}
        if _REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background work: Django's tasks API with the database backend; a worker runs
# `cophub db_worker` (started by `make demo`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, refusing demo accounts outside demo mode.
    "cophub.accounts.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:me"
LOGOUT_REDIRECT_URL = "portal:home"

# Login throttling (django-axes), see cophub.accounts.sign_in_throttling: a username is locked
# for one client address after AXES_FAILURE_LIMIT failures, and for every address after
# COPHUB_USERNAME_FAILURE_LIMIT; other users at the same address are not. The address is taken
# from X-Forwarded-For only when the request comes from one of TRUSTED_PROXIES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
COPHUB_USERNAME_FAILURE_LIMIT = env_int("USERNAME_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "cophub.accounts.sign_in_throttling.SignInThrottleHandler"
AXES_CLIENT_IP_CALLABLE = "cophub.accounts.sign_in_throttling.client_ip_address"
COPHUB_TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Audit: every change to a model is recorded with its actor; no IP address is kept.
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_DISABLE_REMOTE_ADDR = True
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "sessions",
    "admin.logentry",
    "axes",
    "django_tasks_db",
    "auditlog",
    "contenttypes",
    # Wagtail keeps its own history of pages (revisions, page log); its search index and the
    # translation memory of wagtail-localize change on every save and are derived data.
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.referenceindex",
    "wagtailsearch",
    "wagtail_localize",
    "taggit",
    # Anonymous counters added to in bulk (see cophub.helplines.services.reach_count).
    "helplines.reachcount",
    # Coordination's summaries: copies of other rows, rebuilt by a task (decision 0041).
    "coordination.collectedrecord",
    "coordination.clauserecord",
    "coordination.summarystate",
)
AUDITLOG_EXCLUDE_TRACKING_FIELDS = ("last_login",)
AUDITLOG_MASK_TRACKING_FIELDS = ("password", "key_hash")

# Languages: the six official languages of ITU.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [SRC_DIR / "cophub" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cophub@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

# Privacy: pages send no referrer to any other site, so leaving the site (quick exit) tells
# nobody where the visitor came from. Not "no-referrer": with it, browsers send `Origin: null`
# on form posts, which Django's CSRF check rightly refuses — no form could be submitted.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# The neutral site that the quick-exit control replaces the current page with.
COPHUB_QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://www.wikipedia.org/")

# Helplines: an entry not verified against its source for this long is shown as stale.
COPHUB_HELPLINE_STALE_AFTER_DAYS = env_int("HELPLINE_STALE_AFTER_DAYS", 365)
# How often each process reads which version of the helpline directory is current: a change
# made by another process is answered within this many seconds (decision 0040).
COPHUB_HELPLINE_VERSION_CHECK_SECONDS = 1.0
# Anonymous reach counts are added up in each process and written at most this often (seconds).
COPHUB_REACH_FLUSH_SECONDS = env_int("REACH_FLUSH_SECONDS", 10)
# Coordination's summaries (implementation view, activity feed) are refreshed by a background
# task after each change to a module's records (decision 0041).
COPHUB_SUMMARIES_REFRESH = True
# Sites allowed to embed the helpline widget in an iframe ("*" = any site).
COPHUB_WIDGET_FRAME_ANCESTORS = env_list("WIDGET_FRAME_ANCESTORS", ["*"])

# SMS and USSD gateways. Outbound SMS go through COPHUB_SMS_CLIENT: "recording" (kept in
# memory, for demo and tests) or "africastalking" (the real API, with AT_USERNAME/AT_API_KEY).
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", "")
AT_USERNAME = env_str("AT_USERNAME", "")
AT_API_KEY = env_str("AT_API_KEY", "")
AT_SMS_SENDER = env_str("AT_SMS_SENDER", "")
COPHUB_SMS_CLIENT = env_str("SMS_CLIENT", "recording")
# Salt for hashing phone numbers into short-lived channel session keys (never stored in clear).
COPHUB_CHANNEL_SALT = env_str("CHANNEL_SALT", "")
# Shared secret of the Africa's Talking callbacks, sent as ?token= in the URLs registered with
# the gateway. Without it the callbacks answer 403, except in demo mode with the recording client.
AT_CALLBACK_TOKEN = env_str("AT_CALLBACK_TOKEN", "")
# Outbound SMS limits: per destination number per hour, and for the whole platform per UTC day.
COPHUB_SMS_PER_NUMBER_HOURLY_LIMIT = env_int("SMS_PER_NUMBER_HOURLY_LIMIT", 3)
COPHUB_SMS_DAILY_LIMIT = env_int("SMS_DAILY_LIMIT", 1000)

# Wagtail: the resources hub. Pages are served under /<lang>/resources/, the editors' admin at
# /cms/. Content languages are the six interface languages; downloads may also come in the extra
# languages of RESOURCES_EXTRA_LANGUAGES (e.g. "sw,pt"), which have no pages of their own.
WAGTAIL_SITE_NAME = "COP Hub"
WAGTAIL_I18N_ENABLED = True
WAGTAIL_PAGE_MODEL = "wagtailcore.Page"
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {
    # The database backend: SQLite FTS5 or PostgreSQL full text; see cophub.resources.search_text
    # for how Chinese (no spaces) and Arabic are made searchable on both.
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"},
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub", "txt"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILLOCALIZE_MACHINE_TRANSLATOR: dict[str, Any] | None = (
    {"CLASS": env_str("MACHINE_TRANSLATOR_CLASS"), "OPTIONS": {}}
    if env_str("MACHINE_TRANSLATOR_CLASS")
    else None
)
COPHUB_RESOURCES_EXTRA_LANGUAGES = env_list("RESOURCES_EXTRA_LANGUAGES", [])
COPHUB_PRACTICES_MAX_ATTACHMENT_BYTES = env_int("PRACTICES_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)

# Statistics: Fernet key(s) for survey microdata at rest (first encrypts, all decrypt; empty:
# derived from SECRET_KEY), and the upload limit. Strategies: the evidence file limit.
COPHUB_MICRODATA_KEY = env_list("MICRODATA_KEY", [])
COPHUB_STATISTICS_UPLOAD_LIMIT_MB = env_int("STATISTICS_UPLOAD_LIMIT_MB", 50)
COPHUB_STRATEGIES_EVIDENCE_MAX_BYTES = env_int("STRATEGIES_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)

# Every upload (cophub.portal.uploads): ZIP-based files (XLSX, DOCX, …) by their central
# directory, tables by the rows and columns they state; see docs/decisions/0015-bounded-uploads.md.
COPHUB_UPLOAD_MAX_UNCOMPRESSED_MB = env_int("UPLOAD_MAX_UNCOMPRESSED_MB", 200)
COPHUB_UPLOAD_MAX_COMPRESSION_RATIO = env_int("UPLOAD_MAX_COMPRESSION_RATIO", 100)
COPHUB_UPLOAD_MAX_ZIP_MEMBERS = env_int("UPLOAD_MAX_ZIP_MEMBERS", 10_000)
COPHUB_UPLOAD_MAX_ROWS = env_int("UPLOAD_MAX_ROWS", 1_000_000)
COPHUB_UPLOAD_MAX_COLUMNS = env_int("UPLOAD_MAX_COLUMNS", 1_000)

# Is this a demo deployment (demo accounts allowed)?
COPHUB_DEMO = False


# One handler, on the root logger, and every record goes through it: Django's own handlers
# ("django": a console and e-mails to ADMINS; "django.server": its own, not propagating) are
# replaced, so nothing is written past the filter. The filter removes children's numbers and
# messages from request lines and URLs (see cophub.portal.log_privacy), at any LOG_LEVEL.
# LOG_FORMAT: "text" for people (here), "json" one object per line (production's default); both
# carry the request id (see cophub.operations.log_format). Each request gets one line from the
# "cophub.requests" logger, naming its route, never its path (operations.request_observation).
def log_format(default: str) -> str:
    """LOG_FORMAT, or ``default``; anything but "text" or "json" stops the start."""
    value = env_str("LOG_FORMAT", default) or default
    if value not in ("text", "json"):
        raise ImproperlyConfigured(f'LOG_FORMAT must be "text" or "json", not {value!r}.')
    return value


LOG_FORMAT = log_format("text")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "child_data": {"()": "cophub.portal.log_privacy.ChildDataLogFilter"},
        "request_id": {"()": "cophub.operations.request_ids.RequestIdLogFilter"},
    },
    "formatters": {
        "text": {"()": "cophub.operations.log_format.TextLogFormatter"},
        "json": {"()": "cophub.operations.log_format.JsonLogFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["child_data", "request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Request logs would carry paths and addresses of children: keep only errors, no IPs.
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "level": "WARNING", "propagate": True},
        "django.request": {"handlers": [], "level": "ERROR", "propagate": True},
    },
}

# /metrics (Prometheus, cophub.operations.metrics): open to clients in these networks (CIDR,
# comma-separated; the client address as for sign-in throttling, behind TRUSTED_PROXIES) and to
# requests with "Authorization: Bearer <METRICS_TOKEN>"; to anyone else it does not exist (404).
COPHUB_METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", ["127.0.0.0/8", "::1/128"])
COPHUB_METRICS_TOKEN = env_str("METRICS_TOKEN", "") or ""
