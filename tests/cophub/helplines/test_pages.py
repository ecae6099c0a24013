import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from cophub.helplines.models import ReachCount

pytestmark = pytest.mark.usefixtures("directory")
WEIGHT_BUDGET = 30 * 1024


def test_finder_page_has_tap_buttons_hours_and_quick_exit(client: Client) -> None:
    response = client.get("/sw/help/KE/") if False else client.get("/en/help/KE/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:116"' in page
    assert 'href="sms:21116"' in page
    assert "Free of charge" in page
    assert 'id="quick-exit"' in page
    assert 'href="tel:999"' in page  # emergency fallback
    assert "Not recently verified" in page  # the general line has never been verified
    assert ReachCount.objects.get(country="KE", channel="web").count == 1


def test_finder_page_reads_right_to_left_in_arabic(client: Client) -> None:
    page = client.get("/ar/help/KE/").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert '<span class="contact-value" dir="ltr">116</span>' in page


def test_finder_filters_rank_by_age_and_topic_without_javascript(client: Client) -> None:
    page = client.get("/en/help/KE/", {"age": "12", "topic": "mental_health"}).content.decode()
    assert '<option value="mental_health" selected>' in page
    bad_filter = client.get("/en/help/KE/", {"age": "-5", "topic": "nonsense"})
    assert bad_filter.status_code == 200  # a child still gets the answer
    assert 'href="tel:116"' in bad_filter.content.decode()


def test_unknown_country_page_is_404(client: Client) -> None:
    assert client.get("/en/help/XX/").status_code == 404


def test_country_choice_suggests_the_browsers_region_never_an_ip_lookup(client: Client) -> None:
    page = client.get("/fr/help/", HTTP_ACCEPT_LANGUAGE="sw-KE,fr;q=0.5").content.decode()
    assert 'class="suggested"><a class="contact-button" href="/fr/help/KE/">' in page
    assert client.get("/fr/help/", {"country": "fr"})["Location"] == "/fr/help/FR/"


def _weight(client: Client, path: str) -> int:
    response = client.get(path)
    page = response.content
    total = len(page)
    for url in re.findall(rb'(?:src|href)="(/static/[^"]+)"', page):
        asset = client.get(url.decode())
        assert asset.status_code == 200, url
        total += len(b"".join(asset.streaming_content))  # type: ignore[attr-defined]
    return total


@pytest.mark.parametrize("path", ["/en/help/KE/", "/ar/help/KE/", "/en/widget/KE/", "/ru/help/"])
def test_everything_the_page_loads_weighs_at_most_30_kb(client: Client, path: str) -> None:
    assert _weight(client, path) <= WEIGHT_BUDGET


def test_widget_can_be_framed_by_other_sites_and_opens_links_on_top(client: Client) -> None:
    response = client.get("/fr/widget/FR/")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    page = response.content.decode()
    assert 'href="tel:3018"' in page and 'target="_top"' in page
    assert client.get("/fr/help/FR/")["X-Frame-Options"] == "DENY"


def test_contact_ping_counts_anonymously(client: Client) -> None:
    assert client.post("/used/KE/voice").status_code == 204
    assert client.post("/used/KE/voice").status_code == 204
    assert ReachCount.objects.get(country="KE", channel="voice", event="contact_used").count == 2
    assert client.post("/used/XX/voice").status_code == 204
    assert not ReachCount.objects.filter(country="XX").exists()


def test_number_registry_page_shows_history_sources_and_warnings(client: Client) -> None:
    page = client.get("/en/numbers/").content.decode()
    assert "Communications Authority of Kenya" in page
    assert "https://example.org/ke-116-op" in page
    assert "phonenumbers " in page
    assert urlsplit("https://example.org/eu-116").netloc in page


def test_names_in_a_helpline_language_beyond_the_six(client: Client) -> None:
    page = client.get("/en/widget/KE/", {"lang": "sw"}).content.decode()
    assert "Simu ya Watoto (majaribio)" in page


@pytest.mark.parametrize("path", ["/en/help/", "/en/help/KE/", "/en/widget/KE/"])
def test_finder_pages_are_never_kept_in_the_browser_cache(client: Client, path: str) -> None:
    assert "no-store" in client.get(path)["Cache-Control"]


def test_the_widget_quick_exit_leaves_the_host_page_through_the_exit_endpoint(
    client: Client,
) -> None:
    page = client.get("/ar/widget/KE/").content.decode()
    assert '<a id="quick-exit" class="quick-exit" href="/exit/" target="_top"' in page
    assert 'data-exit="/exit/"' in page


def _numbers_on(html: str) -> list[str]:
    return re.findall(r'<td dir="ltr">(\d+)</td>', html)


def test_number_registry_pages_by_keyset_and_costs_the_same_at_any_size(client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cophub.helplines.models import CopNumber

    with CaptureQueriesContext(connection) as small:
        client.get("/en/numbers/")
    CopNumber.objects.bulk_create(
        CopNumber(country_id="KE", number=f"9{n:05d}", purpose="other") for n in range(130)
    )
    with CaptureQueriesContext(connection) as large:
        page = client.get("/en/numbers/").content.decode()
    assert len(large) == len(small)
    assert len(_numbers_on(page)) == 50 and 'rel="prev"' not in page
    seen, link = [], "/en/numbers/"
    while link:
        html = client.get(link).content.decode()
        seen += _numbers_on(html)
        found = re.search(r'href="([^"]+)" rel="next">Next page<', html)
        link = found.group(1).replace("&amp;", "&") if found else ""
    assert len(seen) == CopNumber.objects.count() == len(set(seen))
    kenya = client.get("/en/numbers/", {"country": "ke"}).content.decode()
    assert set(_numbers_on(kenya)) <= set(
        CopNumber.objects.filter(country="KE").values_list("number", flat=True)
    )
    arabic = client.get("/ar/numbers/").content.decode()
    assert 'dir="rtl"' in arabic and "الصفحة التالية" in arabic
    forged = client.get("/en/numbers/", {"cursor": "cD1hYmM="})
    assert forged.status_code == 422 and "cursor" in forged.content.decode()
