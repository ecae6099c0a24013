"""When an entry is stale: one rule for every surface (the finder, the resolver's API, SMS and
USSD, the coverage view, the open data, verification campaigns). An entry is stale when it was
never verified or was last verified more than ``COPHUB_HELPLINE_STALE_AFTER_DAYS`` days ago
(``copcore.helplines.resolve.is_stale``)."""

from datetime import date, timedelta

from django.conf import settings

from copcore.helplines.resolve import is_stale


def stale_after() -> timedelta:
    return timedelta(days=settings.COPHUB_HELPLINE_STALE_AFTER_DAYS)


def fresh_since(today: date) -> date:
    """The earliest verification day that is not stale on ``today``."""
    return today - stale_after()


def entry_is_stale(verified_at: date | None, today: date) -> bool:
    return is_stale(verified_at, today, stale_after())


def stale_from(verified_at: date | None) -> date | None:
    """The first day an entry verified on ``verified_at`` is stale (``None``: it is already,
    having never been verified)."""
    return verified_at + stale_after() + timedelta(days=1) if verified_at else None
