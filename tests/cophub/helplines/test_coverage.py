"""The coverage view: every ITU Member State with its child helpline, verification, number and
channels; the map (an SVG with a title, a description and one shape per country), the table,
the API's JSON and CSV, BDT's upkeep column, Arabic right to left, and queries that do not
grow with the directory."""

import csv
import io
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cophub.accounts.models import User
from cophub.helplines.models import Helpline
from cophub.helplines.services import helplines_import
from cophub.portal.collation import collation_key
from cophub.reference.models import Country

from .conftest import fixture_document

pytestmark = pytest.mark.django_db
API = "/api/v1/helplines/coverage"


@pytest.fixture
def covered(directory: None) -> None:
    # FR's child helpline was verified long ago; KE's recently (the fixture's dates).
    Helpline.objects.filter(slug="fr-test-enfance").update(verified_at="2020-01-01")


def test_every_member_state_with_its_coverage(covered: None, client: Client) -> None:
    rows = {row["country"]: row for row in client.get(API).json()}
    assert len(rows) == Country.objects.filter(itu_member=True).count() >= 190
    ke, fr, tz = rows["KE"], rows["FR"], rows["TZ"]
    assert (ke["state"], ke["helplines"], ke["number"], ke["number_state"]) == (
        "verified",
        1,
        "116",
        "in_service",
    )
    assert (ke["sms"], ke["ussd"], ke["chat"]) == (True, False, True)
    assert (fr["state"], fr["number"], fr["number_state"]) == ("listed", "116111", "allocated")
    assert (tz["state"], tz["number_state"], tz["sms"]) == ("none", "none", False)


def test_csv_gives_the_same_rows(covered: None, client: Client) -> None:
    answer = client.get(API, {"format": "csv"})
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    assert len(rows) == len(client.get(API).json())
    assert next(r for r in rows if r["country"] == "KE")["state"] == "verified"
    refused = client.get(API, {"format": "xml"})
    assert refused.status_code == 422
    assert refused.json()["details"]["errors"][0]["field"] == "format"


def test_the_map_and_the_table(covered: None, client: Client) -> None:
    page = client.get("/en/help/coverage/")
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        '<svg viewBox="0 0 1000 487" role="img" aria-labelledby="coverage-title coverage-desc"'
        in html
    )
    assert '<title id="coverage-title">World map of child helpline coverage</title>' in html
    assert "<title>Kenya: Listed and verified within 12 months</title>" in html
    assert "<title>France: Listed, not verified within 12 months</title>" in html
    assert html.count('<path class="s-') >= 170
    assert html.count('<tr class="s-') == Country.objects.filter(itu_member=True).count()
    assert "Entries not verified within 12 months" not in html


def test_bdt_sees_entries_to_verify(
    covered: None, signed_in: Callable[[User], Client], bdt_staff: User
) -> None:
    html = signed_in(bdt_staff).get("/en/help/coverage/").content.decode()
    assert "Entries not verified within 12 months" in html


def test_arabic_is_right_to_left_and_the_map_keeps_its_geography(
    covered: None, client: Client
) -> None:
    html = client.get("/ar/help/coverage/").content.decode()
    assert 'dir="rtl"' in html and "تغطية خطوط مساعدة الأطفال" in html
    assert 'role="img" aria-labelledby="coverage-title coverage-desc" dir="ltr"' in html


def test_queries_do_not_grow_with_the_directory(covered: None, client: Client) -> None:
    with CaptureQueriesContext(connection) as small:
        client.get(API)
    document = fixture_document("directory.json")
    more = []
    for n in range(20):
        entry = dict(document["helplines"][0], id=f"ke-extra-{n}")
        entry["country"] = ["UG", "TZ", "GH", "BR"][n % 4]
        more.append(entry)
    helplines_import({**document, "helplines": document["helplines"] + more})
    with CaptureQueriesContext(connection) as large:
        rows = {row["country"]: row for row in client.get(API).json()}
    assert rows["UG"]["state"] == "verified"
    assert len(large.captured_queries) == len(small.captured_queries)


def test_country_names_follow_the_collation_of_the_language(covered: None, client: Client) -> None:
    names = [row["name"] for row in client.get(API, HTTP_ACCEPT_LANGUAGE="ar").json()]
    assert names == sorted(names, key=lambda name: collation_key(name, "ar"))
    # By code point every name written with a hamza on its alef ("أ…") would come before
    # every "ا…": Jordan before Uganda is the language's order.
    assert names != sorted(names)
    assert names.index("الأردن") < names.index("أوغندا")
    html = client.get("/ar/help/coverage/").content.decode()
    table = html[html.index("<table") :]  # the map before it is in geometry order
    assert table.index("الأردن") < table.index("أوغندا")
