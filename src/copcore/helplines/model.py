"""Plain, immutable descriptions of helplines as the resolver and the channels see them."""

from dataclasses import dataclass, field
from datetime import date, time
from enum import StrEnum


class Channel(StrEnum):
    VOICE = "voice"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    TELEGRAM = "telegram"
    WEBCHAT = "webchat"
    EMAIL = "email"
    APP = "app"
    USSD = "ussd"


class Kind(StrEnum):
    CHILD_HELPLINE = "child_helpline"
    GENERAL_HELPLINE = "general_helpline"
    CSAM_HOTLINE = "csam_hotline"
    EMERGENCY = "emergency"


WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Shift:
    """Open from ``opens`` to ``closes`` on each weekday in ``days`` (0 = Monday). A ``closes``
    at or before ``opens`` means the shift ends on the next day."""

    days: frozenset[int]
    opens: time
    closes: time

    @property
    def overnight(self) -> bool:
        return self.closes <= self.opens


@dataclass(frozen=True)
class Hours:
    """Weekly opening hours in a helpline's time zone. ``always`` is 24/7."""

    always: bool = False
    shifts: tuple[Shift, ...] = ()
    closed_on: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Contact:
    channel: Channel
    value: str
    free: bool | None = None
    hours: Hours | None = None  # None: hours unknown


@dataclass(frozen=True)
class Source:
    url: str
    type: str
    verified_at: date | None = None


@dataclass(frozen=True)
class Helpline:
    id: str
    names: dict[str, str]
    country: str
    kind: Kind
    timezone: str
    contacts: tuple[Contact, ...]
    source: Source
    subdivisions: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    age_min: int | None = None
    age_max: int | None = None
    languages: tuple[str, ...] = ()
    operator: str = ""
    chi_member: bool | None = None
    # Ids of helplines paired with this one (e.g. one for children, one for their parents):
    # in one-answer mode they are shown together or not at all (``copcore.helplines.best``).
    paired_with: frozenset[str] = frozenset()
    extra: dict[str, str] = field(default_factory=dict)

    def name(self, language: str | None) -> str:
        """The name in ``language`` when known, else English, else any."""
        if language and language in self.names:
            return self.names[language]
        return self.names.get("en") or next(iter(self.names.values()), self.id)
