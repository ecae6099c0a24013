"""Anonymous reach counts are added up per process and written in bulk."""

from datetime import date
from unittest import mock

import pytest

from cophub.helplines import services
from cophub.helplines.models import ReachCount
from cophub.helplines.services import reach_count, reach_flush

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 28)


def _count(channel: str = "ussd") -> int:
    row = ReachCount.objects.filter(day=DAY, country="KE", channel=channel).first()
    return row.count if row else 0


def test_counts_wait_in_memory_until_the_flush_interval(settings):
    settings.COPHUB_REACH_FLUSH_SECONDS = 3600
    reach_flush()
    for _ in range(3):
        reach_count(day=DAY, country="KE", channel="ussd", event=ReachCount.Event.ANSWER_SHOWN)
    reach_count(day=DAY, country="KE", channel="sms", event=ReachCount.Event.ANSWER_SHOWN)
    assert _count() == 0
    assert reach_flush() == 2
    assert (_count("ussd"), _count("sms")) == (3, 1)
    reach_count(day=DAY, country="KE", channel="ussd", event=ReachCount.Event.ANSWER_SHOWN)
    reach_flush()
    assert _count() == 4


def test_a_failed_flush_keeps_the_counts_and_never_reaches_the_child(settings):
    settings.COPHUB_REACH_FLUSH_SECONDS = 0
    with mock.patch.object(services, "_reach_add", side_effect=RuntimeError("database down")):
        reach_count(day=DAY, country="KE", channel="ussd", event=ReachCount.Event.ANSWER_SHOWN)
    assert _count() == 0
    reach_count(day=DAY, country="KE", channel="ussd", event=ReachCount.Event.ANSWER_SHOWN)
    assert _count() == 2
