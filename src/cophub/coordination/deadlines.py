"""Which deadline a document meets, under the rule set of its meeting's body
(``DeadlineRuleSet``; the rule sets and their sources are data: ``data/deadline_rules.json``).

A document received at least ``translated_days`` calendar days before the first day is on time
(translated); one received later but at least ``accepted_days`` days before is accepted — late
for translation ("delayed") when the rule set has a translation deadline, on time when it has
none (a group working in one language). Anything later is held for the next meeting; the
types a rule set exempts are not bound at all. A body without a rule set binds nothing."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .deadline_models import DeadlineRuleSet

if TYPE_CHECKING:
    from .meetings.models import Meeting

ON_TIME, DELAYED, HELD, EXEMPT = "on_time", "delayed", "held", "exempt"


def timeliness(
    rules: DeadlineRuleSet | None, *, meeting_starts: date, received: date, kind: str
) -> str:
    """``on_time``, ``delayed``, ``held`` or ``exempt`` for a document of type ``kind``
    received on ``received`` for a meeting whose first day is ``meeting_starts``."""
    if rules is None:
        return ON_TIME
    if kind in rules.exempt_kinds:
        return EXEMPT
    days = (meeting_starts - received).days
    if rules.translated_days is not None and days >= rules.translated_days:
        return ON_TIME
    if rules.accepted_days is not None and days >= rules.accepted_days:
        return ON_TIME if rules.translated_days is None else DELAYED
    return HELD


def _before(starts_on: date, days: int | None) -> date | None:
    return None if days is None else starts_on - timedelta(days=days)


@dataclass(frozen=True)
class MeetingDeadlines:
    """The deadlines of one meeting, and what a contribution received on ``today`` meets."""

    rules: DeadlineRuleSet | None
    starts_on: date
    today: date

    @property
    def translated_by(self) -> date | None:
        return _before(self.starts_on, self.rules.translated_days) if self.rules else None

    @property
    def last_days(self) -> int | None:
        """How many days before the first day the last day to submit is."""
        if self.rules is None:
            return None
        if self.rules.accepted_days is not None:
            return self.rules.accepted_days
        return self.rules.translated_days

    @property
    def accepted_by(self) -> date | None:
        """The last day a document is accepted for the meeting."""
        return _before(self.starts_on, self.last_days)

    @property
    def posted_by(self) -> date | None:
        return _before(self.starts_on, self.rules.posted_days) if self.rules else None

    @property
    def rule_today(self) -> str:
        return timeliness(
            self.rules, meeting_starts=self.starts_on, received=self.today, kind="contribution"
        )

    @property
    def rule_today_label(self) -> str:
        from .documents.models import Document

        return str(Document.Timeliness(self.rule_today).label)

    @property
    def exempt_labels(self) -> list[str]:
        from .documents.models import Document

        labels = dict(Document.Kind.choices)
        kinds = self.rules.exempt_kinds if self.rules else []
        return [str(labels.get(kind, kind)) for kind in kinds]

    @property
    def unconfirmed(self) -> set[str]:
        return set(self.rules.unconfirmed) if self.rules else set()


def meeting_deadlines(meeting: "Meeting", today: date) -> MeetingDeadlines:
    return MeetingDeadlines(rules=meeting.body.rule_set, starts_on=meeting.starts_on, today=today)


def held_message(deadlines: MeetingDeadlines) -> str:
    """Why a document is refused for the meeting, and what to do instead."""
    rules = deadlines.rules
    return _(
        "The deadline for this meeting was %(date)s (%(days)s days before it starts, under "
        "%(rule)s). Submit the document to the next meeting."
    ) % {
        "date": deadlines.accepted_by.isoformat() if deadlines.accepted_by else "",
        "days": deadlines.last_days,
        "rule": rules.name if rules else "",
    }


def deadlines_json(meeting: "Meeting", today: date) -> dict[str, Any]:
    """The meeting's deadlines and the rule set they come from, for the API."""
    deadlines = meeting_deadlines(meeting, today)
    rules = deadlines.rules
    return {
        "rule_set": None
        if rules is None
        else {
            "code": rules.code,
            "name": rules.name,
            "source": rules.source,
            "source_url": rules.source_url,
            "translated_days": rules.translated_days,
            "accepted_days": rules.accepted_days,
            "posted_days": rules.posted_days,
            "exempt_kinds": rules.exempt_kinds,
            "exempt_posted_days": rules.exempt_posted_days,
            "unconfirmed": rules.unconfirmed,
        },
        "translated_by": deadlines.translated_by,
        "accepted_by": deadlines.accepted_by,
        "posted_by": deadlines.posted_by,
        "rule_today": deadlines.rule_today,
    }
