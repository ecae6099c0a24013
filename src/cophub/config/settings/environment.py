"""Reading settings from the environment, and nothing else."""

import os
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_required(name: str) -> str:
    value = env_str(name)
    if value is None:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required by the production settings."
        )
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    return int(value) if value is not None else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# SQLite as a server's database (docs/decisions/0019-concurrency-tasks-storage.md): WAL lets
# readers and the one writer work at the same time (a long read no longer holds every write);
# IMMEDIATE transactions take the write lock when they begin, so a writer waits its turn (the
# busy timeout) instead of failing when it finds, mid-transaction, that another one wrote first;
# synchronous=NORMAL is the setting WAL is designed for (durable at each checkpoint, never
# corrupt). Every connection runs the pragmas (journal_mode is kept in the file, synchronous
# is not); ``timeout`` is SQLite's busy timeout.
SQLITE_BUSY_TIMEOUT_SECONDS = 20
SQLITE_INIT_COMMAND = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"


def database_settings(default_url: str) -> dict[str, dict[str, Any]]:
    """DATABASES from DATABASE_URL (or ``default_url``). Writes are atomic in the services
    that make them (``@transaction.atomic``), not per request: reads, the bulk of the traffic
    (a child asking for a number), pay for no transaction. SQLite gets WAL, IMMEDIATE
    transactions and a 20 s busy timeout (see ``SQLITE_INIT_COMMAND``).

    A connection kept open between requests (``DATABASE_CONN_MAX_AGE``) is checked before a
    request reuses it: after a database restart, each server thread's kept connection would
    otherwise fail that thread's next request (measured: one 500 per thread, deploy/cluster)."""
    config: dict[str, Any] = dict(
        dj_database_url.parse(
            env_str("DATABASE_URL", default_url) or default_url,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
            conn_health_checks=True,
        )
    )
    if config.get("ENGINE") == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            **config.get("OPTIONS", {}),
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
            "init_command": SQLITE_INIT_COMMAND,
        }
    return {"default": config}
