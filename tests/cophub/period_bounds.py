"""The boundary cases of the one period rule (``cophub.portal.records.Period``), shared by the
tests of every module's ``selectors.records_in_period``: the first and last day of the period
count, the day before and the day after do not; a moment counts on its date in UTC."""

from datetime import UTC, date, datetime

from cophub.portal.records import Period

PERIOD = Period(date(2026, 3, 1), date(2026, 3, 31))

DAYS = [
    (date(2026, 2, 28), False),
    (date(2026, 3, 1), True),
    (date(2026, 3, 31), True),
    (date(2026, 4, 1), False),
]

MOMENTS = [
    (datetime(2026, 2, 28, 23, 59, 59, 999999, tzinfo=UTC), False),
    (datetime(2026, 3, 1, 0, 0, tzinfo=UTC), True),
    (datetime(2026, 3, 31, 23, 59, 59, 999999, tzinfo=UTC), True),
    (datetime(2026, 4, 1, 0, 0, tzinfo=UTC), False),
]
