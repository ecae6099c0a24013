from datetime import UTC, datetime

import pytest
from django.utils import timezone

from cophub.helplines.models import Helpline
from cophub.helplines.resolving import ResolveParameters, resolve_request

pytestmark = pytest.mark.usefixtures("directory")
SMS = ResolveParameters(country="KE", channels="sms")


def test_a_cached_answer_expires_when_a_contact_closes(monkeypatch: pytest.MonkeyPatch) -> None:
    before_close = datetime(2026, 11, 30, 16, 59, tzinfo=UTC)  # Monday 19:59 in Nairobi
    monkeypatch.setattr(timezone, "now", lambda: before_close)
    assert resolve_request(SMS).results[0].open_now is True
    after_close = datetime(2026, 11, 30, 17, 0, 30, tzinfo=UTC)  # 20:00:30, SMS line closed
    monkeypatch.setattr(timezone, "now", lambda: after_close)
    assert resolve_request(SMS).results[0].open_now is False


def test_a_cached_answer_is_dropped_when_the_directory_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 11, 30, 9, tzinfo=UTC))
    assert resolve_request(SMS).results[0].display == "21116"
    helpline = Helpline.objects.get(slug="ke-test-childline")
    contact = helpline.contacts.get(channel="sms")
    contact.value = "21117"
    contact.save()
    assert resolve_request(SMS).results[0].display == "21117"


def test_a_question_by_phone_is_kept_under_its_country_not_the_number() -> None:
    from cophub.helplines import resolving

    by_phone = resolve_request(ResolveParameters(phone="+254711000000", channels="sms"))
    assert by_phone.country == "KE"
    held = repr(list(resolving._resolutions))
    assert "711000000" not in held and "'KE'" in held
    assert resolve_request(SMS) is by_phone  # the same question, asked by country
