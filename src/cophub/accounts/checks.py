"""System checks: no demo account is usable where demo mode is off, and the proxies named in
``TRUSTED_PROXIES`` are addresses.

``accounts.E001`` (every ``cophub check``, so also ``check --deploy`` and the commands that run the
checks before they start, such as ``serve`` and ``migrate``): an active account has a demo
username. One indexed query.

``accounts.E002`` (``check --deploy`` only): an active account other than those has the demo
password. Trying a password costs a full hash (about a second with Django's PBKDF2), so only the
``DEMO_PASSWORD_CHECK_LIMIT`` oldest active accounts are tried: in a demo database promoted to
production the demo accounts are among the first ones. Sign-in refuses the demo password outside
demo mode anyway (``access.password_may_sign_in``); this check tells the operator.

Unlike Django's own database checks these read the database without ``--database``: what they
guard is the data the settings would serve. A database that does not exist yet, is not migrated
or does not answer has nothing to report."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, check_password
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import DatabaseError, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet

from .models import User
from .services import DEMO_PASSWORD, DEMO_USERNAMES
from .sign_in_throttling import trusted_proxy_networks

DEMO_PASSWORD_CHECK_LIMIT = 10
_HINT = (
    "Demo data belongs in the demo database (var/demo.sqlite3, `cophub demo`). Deactivate or "
    "delete these accounts (e.g. in `cophub shell`), or start from a fresh database."
)


def _sqlite_file_missing(database: BaseDatabaseWrapper) -> bool:
    # Connecting would create an empty file: say nothing instead of leaving one behind.
    if database.vendor != "sqlite" or getattr(database, "is_in_memory_db", lambda: True)():
        return False
    return not Path(str(database.settings_dict["NAME"])).exists()


def _active_accounts() -> QuerySet[User] | None:
    """Active accounts, or None when the database cannot be read (yet)."""
    alias = router.db_for_read(User)
    database = connections[alias]
    if _sqlite_file_missing(database):
        return None
    try:
        if User._meta.db_table not in database.introspection.table_names():
            return None
    except DatabaseError:
        return None
    return User.objects.using(alias).filter(is_active=True)


@register(Tags.security)
def demo_usernames_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.COPHUB_DEMO:
        return []
    accounts = _active_accounts()
    if accounts is None:
        return []
    try:
        names = sorted(
            accounts.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True)
        )
    except DatabaseError:
        return []
    if not names:
        return []
    return [
        Error(
            "Demo accounts are active but demo mode is off (COPHUB_DEMO is False): "
            + ", ".join(names)
            + ". They cannot sign in here.",
            hint=_HINT,
            obj=str(connections[router.db_for_read(User)].settings_dict["NAME"]),
            id="accounts.E001",
        )
    ]


@register(Tags.security, deploy=True)
def demo_password_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.COPHUB_DEMO:
        return []
    accounts = _active_accounts()
    if accounts is None:
        return []
    candidates = (
        accounts.exclude(username__in=DEMO_USERNAMES)
        .exclude(password="")
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .order_by("pk")
        .values_list("username", "password")[:DEMO_PASSWORD_CHECK_LIMIT]
    )
    try:
        # The hasher function, not User.check_password: a check must not re-hash and save.
        names = [name for name, hashed in candidates if check_password(DEMO_PASSWORD, hashed)]
    except DatabaseError:
        return []
    if not names:
        return []
    return [
        Error(
            "Active accounts have the published demo password but demo mode is off: "
            + ", ".join(names)
            + ". They cannot sign in with it here.",
            hint="Set new passwords (`cophub changepassword USERNAME`) or deactivate them.",
            id="accounts.E002",
        )
    ]


@register(Tags.security)
def trusted_proxies_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        trusted_proxy_networks(tuple(settings.COPHUB_TRUSTED_PROXIES))
    except ValueError as error:
        return [
            Error(
                str(error),
                hint="A comma-separated list such as 10.0.0.5,192.0.2.0/24.",
                id="accounts.E003",
            )
        ]
    return []
