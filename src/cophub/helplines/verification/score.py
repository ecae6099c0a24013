"""The verification score of an entry: how many of the four checks were made while the entry
is fresh (within the stale rule of :mod:`cophub.helplines.freshness`)."""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from ..freshness import entry_is_stale, fresh_since
from ..models import Helpline

CHECKS = ("number_dialled", "hours_confirmed", "source_reachable", "operator_confirmed")
OPERATOR_CONFIRMED = "operator_confirmed"


def check_labels() -> dict[str, str]:
    return {
        "number_dialled": _("Number dialled"),
        "hours_confirmed": _("Hours confirmed"),
        "source_reachable": _("Source reachable"),
        "operator_confirmed": _("Confirmed by the operator"),
    }


def fresh_checks(checks: dict[str, str], today: date) -> dict[str, str]:
    """The checks (code → ISO day) made on or after the day an entry stops being fresh."""
    since = fresh_since(today).isoformat()
    return {code: day for code, day in sorted(checks.items()) if code in CHECKS and day >= since}


def verification_summary(helpline: Helpline, today: date) -> dict[str, Any]:
    """What the open data and BDT's pages say about an entry's verification: ``score`` (0 to
    4), the fresh ``checks`` with their days, and whether the entry is ``stale``."""
    checks = fresh_checks(helpline.verification_checks or {}, today)
    return {
        "score": len(checks),
        "checks": checks,
        "stale": entry_is_stale(helpline.verified_at, today),
    }
