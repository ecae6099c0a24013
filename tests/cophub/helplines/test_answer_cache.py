"""The resolver's whole HTTP answer is kept while exact (decision 0048): the same question is
answered again without a query and with the same headers, a change or a closing contact is in
the very next answer, and what could differ between two requests is never shared."""

import logging
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cophub.helplines import api
from cophub.helplines.models import Helpline

pytestmark = pytest.mark.usefixtures("directory", "noon_in_nairobi")
URL = "/api/v1/helplines/resolve"
SMS = {"country": "KE", "channels": "sms"}


def _view_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, reaching the resolver's view fails the test."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the view was reached")

    monkeypatch.setattr(api, "resolve_request_exact", refuse)
    monkeypatch.setattr(api, "one_answer_request_exact", refuse)


@pytest.mark.parametrize("question", [SMS, {**SMS, "best": "1"}])
def test_the_same_question_is_answered_again_without_the_view_or_a_write(
    client: Client, monkeypatch: pytest.MonkeyPatch, question: dict[str, str]
) -> None:
    first = client.get(URL, question, headers={"Accept-Language": "fr"})
    assert first.status_code == 200
    _view_refused(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL, question, headers={"Accept-Language": "fr"})
    assert again.status_code == 200 and again.content == first.content
    # Only the version check (every request here: interval 0) reads the database.
    assert all("directoryversion" in q["sql"].lower() for q in queries.captured_queries), [
        q["sql"] for q in queries.captured_queries
    ]
    headers = {k: v for k, v in first.headers.items() if k != "X-Request-ID"}
    assert {k: v for k, v in again.headers.items() if k != "X-Request-ID"} == headers
    assert again["X-Request-ID"] != first["X-Request-ID"]
    assert again["Content-Language"] == "fr" and "nosniff" in again["X-Content-Type-Options"]


def test_the_kept_answer_is_logged_under_its_route(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="cophub.requests"):
        client.get(URL, SMS)
        caplog.clear()
        client.get(URL, SMS)  # the kept answer
    views = {r.view for r in caplog.records if r.name == "cophub.requests"}  # type: ignore[attr-defined]
    assert views == {"api:resolve"}


def test_a_change_and_a_closing_are_in_the_next_answer(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.get(URL, SMS).json()["results"][0]["display"] == "21116"
    contact = Helpline.objects.get(slug="ke-test-childline").contacts.get(channel="sms")
    contact.value = "21117"
    contact.save()
    assert client.get(URL, SMS).json()["results"][0]["display"] == "21117"
    before_close = datetime(2026, 11, 30, 16, 59, tzinfo=UTC)  # Monday 19:59 in Nairobi
    monkeypatch.setattr(timezone, "now", lambda: before_close)
    assert client.get(URL, SMS).json()["results"][0]["open_now"] is True
    after_close = datetime(2026, 11, 30, 17, 0, 30, tzinfo=UTC)  # 20:00:30, SMS line closed
    monkeypatch.setattr(timezone, "now", lambda: after_close)
    assert client.get(URL, SMS).json()["results"][0]["open_now"] is False


def test_what_could_differ_is_not_shared(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    unknown = {"country": "IS"}  # no helpline known: the notice is in the asker's language
    english = client.get(URL, unknown, headers={"Accept-Language": "en"}).json()["notice"]
    french = client.get(URL, unknown, headers={"Accept-Language": "fr"}).json()["notice"]
    assert english.startswith("We do not know") and french.startswith("Nous ne connaissons")
    # A host the settings refuse is refused, though the same question was answered.
    assert client.get(URL, unknown, headers={"Host": "elsewhere.example"}).status_code == 400
    _view_refused(monkeypatch)
    for question, headers in [
        ({"phone": "+254711000000"}, {}),  # a child's number is never a key
        ({**unknown, "at": "2026-11-30T09:00:00Z"}, {}),  # another instant
        (unknown, {"Cookie": "django_language=ar"}),  # may be signed in, or ask another language
        (unknown, {"Authorization": "Bearer x"}),
    ]:
        with pytest.raises(AssertionError, match="the view was reached"):
            client.get(URL, question, headers=headers)


def test_no_spelling_of_phone_is_kept(client: Client) -> None:
    """However the parameter is written, a question by phone is answered and never kept."""
    from cophub.helplines import answer_cache

    for query in ("phone=%2B254711000000", "%70hone=%2B254711000000", "ph%6Fne=%2B254711000000"):
        response = client.get(f"{URL}?{query}&channels=sms")
        assert response.status_code == 200 and response.json()["country"] == "KE"
    assert "711000000" not in repr(list(answer_cache._answers))


def test_a_refusal_is_not_kept(client: Client) -> None:
    assert client.get(URL, {"country": "ZZ"}).status_code == 400
    assert client.get(URL, {"country": "ZZ"}).status_code == 400
