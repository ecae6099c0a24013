"""The resolver's answers are bounded (decision 0040): at most ANSWER_BOUND.helplines
helplines, at most ANSWER_BOUND.contacts contacts of each, in ranking order, with a marker —
through the API, the finder page, the widget's full list, SMS and USSD."""

from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from copcore.helplines.prepared import ANSWER_BOUND
from cophub.helplines.channels.replies import InboundSms, UssdRequest, sms_answer, ussd_answer
from cophub.helplines.resolving import ResolveParameters, resolve_request

from .dense_directory import dense_country_load

pytestmark = pytest.mark.usefixtures("directory")
MONDAY_NOON_NAIROBI = datetime(2026, 11, 30, 9, tzinfo=UTC)
DENSE = 40
KENYAN_HELPLINES = DENSE + 2  # the fixture's child and general helplines (not the emergency)


@pytest.fixture
def dense(directory: None, monkeypatch: pytest.MonkeyPatch) -> None:
    dense_country_load("KE", DENSE)
    monkeypatch.setattr(timezone, "now", lambda: MONDAY_NOON_NAIROBI)


def _ranked_and_cut(everything: tuple[Any, ...]) -> list[tuple[str, str, str]]:
    """The full ranking cut the documented way: the first 10 helplines, 3 contacts of each."""
    kept, counts = [], Counter[str]()
    for result in everything:
        new = result.helpline not in counts
        if (new and len(counts) >= ANSWER_BOUND.helplines) or (
            counts[result.helpline] >= ANSWER_BOUND.contacts
        ):
            continue
        counts[result.helpline] += 1
        kept.append((result.helpline, result.channel.value, result.display))
    return kept


@pytest.mark.usefixtures("dense")
def test_the_api_gives_the_best_ranked_ten_helplines_and_says_it_cut(client: Client) -> None:
    body = client.get("/api/v1/helplines/resolve", {"country": "KE", "age": "12"}).json()
    helplines = Counter(r["helpline"] for r in body["results"])
    assert len(helplines) == ANSWER_BOUND.helplines
    assert max(helplines.values()) <= ANSWER_BOUND.contacts
    assert body["truncated"] is True and body["helplines_total"] == KENYAN_HELPLINES
    everything = resolve_request(ResolveParameters(country="KE", age="12"), bound=None)
    assert len(everything.results) > len(body["results"])
    shown = [(r["helpline"], r["channel"], r["display"]) for r in body["results"]]
    assert shown == _ranked_and_cut(everything.results)
    assert [f["display"] for f in body["fallback"]] == ["999"]


def test_a_country_within_the_bound_is_not_cut(client: Client) -> None:
    body = client.get("/api/v1/helplines/resolve", {"country": "KE"}).json()
    assert body["truncated"] is False and body["helplines_total"] == 2
    assert len(body["results"]) == 4  # every contact of both helplines


@pytest.mark.usefixtures("dense")
def test_one_answer_mode_still_chooses_from_the_full_ranking(client: Client) -> None:
    body = client.get("/api/v1/helplines/resolve", {"country": "KE", "best": "1"}).json()
    full = client.get("/api/v1/helplines/resolve", {"country": "KE"}).json()
    assert body["best"]["helpline"] == full["results"][0]["helpline"]
    assert "truncated" not in body


@pytest.mark.usefixtures("dense")
@pytest.mark.parametrize("path", ["/en/help/KE/?age=12", "/en/widget/KE/?all=1&age=12"])
def test_the_finder_page_and_the_widgets_list_show_the_same_bounded_answer(
    client: Client, path: str
) -> None:
    html = client.get(path).content.decode()
    api = client.get("/api/v1/helplines/resolve", {"country": "KE", "age": "12", "lang": "en"})
    results = api.json()["results"]
    assert html.count('class="contact-button channel-') == len(results)
    positions = [html.index(f">{r['display']}</span>") for r in results]
    assert positions == sorted(positions)  # in ranking order
    assert f"These are the best matches among {KENYAN_HELPLINES} helplines." in html


def test_the_page_says_nothing_of_a_cut_when_there_was_none(client: Client) -> None:
    assert "best matches among" not in client.get("/en/help/KE/").content.decode()


@pytest.mark.usefixtures("dense")
def test_sms_lists_the_first_results_of_the_bounded_answer_in_order() -> None:
    inbound = InboundSms(provider="test", message_id="m1", sender="+254711000000", body="HELP")
    reply = sms_answer(inbound, at=MONDAY_NOON_NAIROBI)
    everything = resolve_request(
        ResolveParameters(country="KE", lang="en", channels="voice,sms,ussd"), bound=None
    )
    bounded = _ranked_and_cut(everything.results)
    shown = [display for _h, _c, display in bounded if display in reply]
    assert shown and len(shown) <= 4
    assert shown == [display for _h, _c, display in bounded][: len(shown)]


@pytest.mark.usefixtures("dense")
def test_ussd_shows_the_best_results_of_the_same_ranking() -> None:
    request = UssdRequest(session_id="s1", phone_number="+254711000000", history="1*1")
    screen = ussd_answer(request, at=MONDAY_NOON_NAIROBI)
    everything = resolve_request(
        ResolveParameters(country="KE", lang="en", channels="voice,sms,ussd"), bound=None
    )
    first = everything.results[0].display
    assert screen.shows_answer and first in screen.text
    lines = [line for line in screen.text.splitlines() if any(
        r.display in line for r in everything.results)]  # fmt: skip
    assert 1 <= len(lines) <= 3
