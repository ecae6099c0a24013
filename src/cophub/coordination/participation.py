"""Who takes part in CWG-COP, per meeting and over time: registrations, attendance and
contributions by ITU-D region and by development grouping (LDC, LLDC, SIDS, economies in
transition) — the evidence for BDT-8 (encourage developing countries to take part)."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cophub.reference.models import Country, Grouping

from .documents.models import Document
from .meetings.models import Meeting, Registration

DEVELOPING_GROUPINGS = ("LDC", "LLDC", "SIDS", "EIT")
# A contribution the meeting asked for is a contribution too (Council Decision 556 exempts it
# from the deadlines, not from the count).
CONTRIBUTION_KINDS = (Document.Kind.CONTRIBUTION, Document.Kind.REQUESTED)


@dataclass
class MeetingParticipation:
    meeting: Meeting
    registrations: int = 0
    attended: int = 0
    remote: int = 0
    developing: int = 0  # registrations from a country in at least one grouping
    fellowships_requested: int = 0
    fellowships_granted: int = 0
    contributions: int = 0
    contributions_developing: int = 0
    by_category: Counter[str] = field(default_factory=Counter)
    by_region: Counter[str] = field(default_factory=Counter)
    by_grouping: Counter[str] = field(default_factory=Counter)
    contributions_by_region: Counter[str] = field(default_factory=Counter)
    contributions_by_grouping: Counter[str] = field(default_factory=Counter)

    @property
    def developing_share(self) -> float | None:
        return self.developing / self.registrations if self.registrations else None

    def as_json(self) -> dict[str, Any]:
        """Counts only (no names): for the API, the pages and the reports' frozen content."""
        return {
            "meeting": self.meeting.pk,
            "name": str(self.meeting),
            "starts_on": self.meeting.starts_on.isoformat(),
            "registrations": self.registrations,
            "attended": self.attended,
            "remote": self.remote,
            "developing": self.developing,
            "developing_share": self.developing_share,
            "fellowships_requested": self.fellowships_requested,
            "fellowships_granted": self.fellowships_granted,
            "contributions": self.contributions,
            "contributions_developing": self.contributions_developing,
            "by_category": dict(self.by_category),
            "by_region": dict(self.by_region),
            "by_grouping": dict(self.by_grouping),
            "contributions_by_region": dict(self.contributions_by_region),
            "contributions_by_grouping": dict(self.contributions_by_grouping),
        }


def _groupings_by_country() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    through = Grouping.countries.through.objects.filter(grouping_id__in=DEVELOPING_GROUPINGS)
    for country, grouping in through.values_list("country_id", "grouping_id"):
        found.setdefault(country, set()).add(grouping)
    return found


def meeting_participation(meetings: list[Meeting]) -> list[MeetingParticipation]:
    groupings = _groupings_by_country()
    regions = dict(Country.objects.values_list("iso2", "region_id"))
    rows = {meeting.pk: MeetingParticipation(meeting=meeting) for meeting in meetings}
    for registration in Registration.objects.filter(meeting__in=meetings):
        row = rows[registration.meeting_id]
        row.registrations += 1
        row.attended += registration.attended is True
        row.remote += registration.attendance == Registration.Attendance.REMOTE
        row.by_category[registration.category] += 1
        row.by_region[regions.get(registration.country_id) or "—"] += 1
        in_groups = groupings.get(registration.country_id, set())
        row.developing += bool(in_groups)
        row.by_grouping.update(in_groups)
        row.fellowships_requested += registration.fellowship != Registration.Fellowship.NONE
        row.fellowships_granted += registration.fellowship == Registration.Fellowship.GRANTED
    contributions = Document.objects.filter(
        meeting__in=meetings, kind__in=CONTRIBUTION_KINDS, revision=0
    ).exclude(status=Document.Status.WITHDRAWN)
    for document in contributions:
        row = rows[document.meeting_id]
        row.contributions += 1
        country = document.country_id or ""
        row.contributions_by_region[regions.get(country) or "—"] += 1
        in_groups = groupings.get(country, set())
        row.contributions_developing += bool(in_groups)
        row.contributions_by_grouping.update(in_groups)
    return [rows[meeting.pk] for meeting in meetings]
