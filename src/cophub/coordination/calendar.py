"""Meetings as iCalendar (RFC 5545) for delegates' calendars, with the ``icalendar`` library."""

from datetime import timedelta

from icalendar import Calendar, Event

from .meetings.models import Meeting

PRODUCT = "-//COP Hub//Coordination//EN"


def meetings_ics(meetings: list[Meeting], *, host: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("summary", f"{meeting.body.name} — {meeting}")
        event.add("dtstart", meeting.starts_on)
        event.add("dtend", meeting.ends_on + timedelta(days=1))  # all-day: end is exclusive
        event.add("dtstamp", meeting.created_at)
        if meeting.venue:
            event.add("location", meeting.venue)
        if meeting.agenda:
            event.add("description", meeting.agenda)
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
