"""Reasons for contact (CHI data framework) as versioned data with a crosswalk to the helpline
topics; published contact counts read by reason and by topic through the page and the API."""

import copy
import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from cophub.accounts.models import User
from cophub.helplines.models import Helpline
from cophub.reference.models import Country
from cophub.statistics import contact_counts, publishing, reasons, services
from cophub.statistics.models import ContactReason, ContactReasonVersion, Dataset

LANGUAGES = ("ar", "zh-hans", "en", "fr", "ru", "es")


def test_the_shipped_reasons_and_crosswalk_agree(helpline_setup: dict[str, User]) -> None:
    document, crosswalk = reasons.documents()
    reasons.documents_check(document, crosswalk, reasons._topics())
    assert reasons.reasons_load() >= 0
    assert reasons.reasons_load() == 0  # same versions: nothing written
    loaded = ContactReasonVersion.objects.get()
    assert loaded.reasons_version == document["version"]
    assert loaded.crosswalk_version == crosswalk["version"]
    named_in_issue = {"violence", "mental_health", "family_relationships"}
    named_in_issue |= {"peer_relationships", "discrimination", "sexuality"}
    named_in_issue |= {"online_sexual_abuse_exploitation"}
    issue = set(ContactReason.objects.filter(provenance="issue").values_list("code", flat=True))
    assert issue == named_in_issue
    for reason in ContactReason.objects.all():
        assert all(reason.names.get(language) for language in LANGUAGES), reason.code
        # A reason confirmed by a CHI report cites it; an unconfirmed one says what was found.
        assert reason.source or reason.provenance in {"issue", "platform"}, reason.code
    confirmed = set(
        ContactReason.objects.filter(provenance="report").values_list("code", flat=True)
    )
    assert {"neglect", "bullying", "cyberbullying", "self_harm", "eating_disorders"} <= confirmed
    assert "friendship" not in confirmed
    assert ContactReason.objects.get(code="suicidal_thoughts").names["en"] == (
        "Suicidal thoughts and suicide attempts"
    )
    countable = reasons.countable()
    assert countable["online_sexual_abuse_exploitation"].topic == "online_harm"
    assert countable["cyberbullying"].topic == "cyberbullying"
    assert "violence" not in countable  # counted on its sub-categories


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d, c: c["map"].pop("neglect"), "neglect has no topic"),
        (lambda d, c: c["map"].update(neglect="nowhere"), "topic nowhere"),
        (lambda d, c: c["map"].update(violence="abuse"), "maps violence"),
        (lambda d, c: c.update(reasons_version="0"), "another version"),
        (lambda d, c: d["categories"][1]["names"].pop("ar"), "no name in ar"),
        (lambda d, c: d["categories"][1].pop("source"), "report needs a source"),
    ],
)
def test_inconsistent_data_is_refused_by_name(
    helpline_setup: dict[str, User], change: Callable[[Any, Any], Any], message: str
) -> None:
    document, crosswalk = (copy.deepcopy(d) for d in reasons.documents())
    change(document, crosswalk)
    with pytest.raises(reasons.ReasonDataError, match=message):
        reasons.documents_check(document, crosswalk, reasons._topics())


def test_a_new_version_replaces_the_loaded_one(
    helpline_setup: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    reasons.reasons_load()
    document, crosswalk = (copy.deepcopy(d) for d in reasons.documents())
    document["version"] = crosswalk["reasons_version"] = "test-2"
    document["categories"] = [c for c in document["categories"] if c["code"] != "loneliness"]
    del crosswalk["map"]["loneliness"]
    monkeypatch.setattr(reasons, "documents", lambda: (document, crosswalk))
    assert reasons.reasons_load() == len(document["categories"])
    assert not ContactReason.objects.filter(code="loneliness").exists()
    assert ContactReasonVersion.objects.get().reasons_version == "test-2"


@pytest.fixture
def published_contacts(helpline_setup: dict[str, User], focal_ke: User, bdt_staff: User) -> Dataset:
    editor = helpline_setup["ke-test-line"]
    dataset = services.dataset_create(
        actor=editor,
        kind=Dataset.Kind.HELPLINE,
        country=Country.objects.get(iso2="KE"),
        year=2025,
        title="Contacts",
        source="Test",
        disclosure=Dataset.Disclosure.MIN_N_5,
        helpline=Helpline.objects.get(slug="ke-test-line"),
    )
    rows = [
        {"quarter": q, "reason": reason, "channel": "voice", "age_band": "12-14", "sex": sex}
        | {"contacts": count}
        for q, reason, sex, count in (
            (1, "bullying", "female", 20),
            (2, "bullying", "male", 30),
            (1, "cyberbullying", "female", 3),
            (1, "online_sexual_abuse_exploitation", "female", 10),
            (1, "anxiety_stress", "female", 40),
            (3, "loneliness", "male", 35),
            (4, "discrimination", "female", 12),
        )
    ]
    checked = contact_counts.contact_counts_submit(actor=editor, dataset=dataset, rows=rows)
    submitted = services.dataset_submit(actor=editor, dataset=checked)
    approved = services.dataset_approve(actor=focal_ke, dataset=submitted)
    reviewed = services.dataset_review(actor=bdt_staff, dataset=approved)
    publishing.dataset_publish(actor=focal_ke, dataset=reviewed)
    return Dataset.objects.get(pk=dataset.pk)


def test_published_counts_by_reason_and_by_topic_through_the_api(
    client: Client, published_contacts: Dataset
) -> None:
    url = "/api/v1/statistics/helpline-contacts"
    page = client.get(url, {"country": "KE", "view": "reason"}).json()
    assert page["next"] is None and page["previous"] is None
    tables = page["results"]
    assert len(tables) == 1 and tables[0]["year"] == 2025 and tables[0]["reasons_version"]
    rows = {row["code"]: row for row in tables[0]["rows"]}
    mental = rows["mental_health"]
    assert mental["level"] == "category" and mental["total"] == {"value": 75, "suppressed": False}
    assert [q["value"] for q in mental["quarters"]] == [40, None, 35, None]
    assert (
        rows["anxiety_stress"]["total"]["value"] == 40 and rows["anxiety_stress"]["quarters"] == []
    )
    assert rows["cyberbullying"]["total"] == {"value": None, "suppressed": True}
    # Online harm (13, published by topic) minus 10 would give the 3: the 10 is hidden too.
    assert rows["online_sexual_abuse_exploitation"]["total"]["suppressed"]
    assert rows["violence"]["total"]["value"] == 63
    by_topic = client.get(url, {"country": "KE", "view": "topic"}).json()["results"][0]["rows"]
    topics = {row["code"]: row for row in by_topic if row["level"] == "category"}
    assert topics["mental_health"]["total"]["value"] == 75
    assert topics["other"]["total"]["value"] == 12
    exported = client.get(url, {"country": "KE", "view": "reason", "format": "csv"})
    lines = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert {line["code"]: line["total"] for line in lines}["cyberbullying"] == "C"
    assert {line["code"]: line["Q3"] for line in lines}["mental_health"] == "35"
    bad = client.get(url, {"view": "colour"})
    assert bad.status_code == 422 and bad.json()["details"]["errors"][0]["field"] == "view"


def test_the_reasons_and_the_crosswalk_are_published(
    client: Client, helpline_setup: dict[str, User]
) -> None:
    body = client.get("/api/v1/statistics/contact-reasons", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert body["reasons_version"] and body["crosswalk_version"] and body["source"]
    by_code = {reason["code"]: reason for reason in body["reasons"]}
    assert by_code["violence"]["countable"] is False and by_code["violence"]["parent"] is None
    assert by_code["self_harm"]["parent"] == "mental_health"
    assert by_code["self_harm"]["topic"] == "mental_health"
    assert set(by_code["self_harm"]["names"]) == set(LANGUAGES)
    assert by_code["self_harm"]["provenance"] == "report"
    assert "Mental Health in Europe" in by_code["self_harm"]["source"]
    assert by_code["friendship"]["source"].startswith("Not confirmed")


def test_the_page_shows_the_tables_in_arabic(client: Client, published_contacts: Dataset) -> None:
    page = client.get("/ar/statistics/helpline-contacts/", {"country": "KE"})
    text = page.content.decode()
    assert page.status_code == 200 and 'dir="rtl"' in text
    assert "الصحة النفسية" in text and "التنمر الإلكتروني" in text
    topic = client.get("/en/statistics/helpline-contacts/", {"country": "KE", "view": "topic"})
    assert "Mental health" in topic.content.decode()
    assert client.get("/en/statistics/helpline-contacts/", {"view": "x"}).status_code == 422


@pytest.mark.django_db
def test_the_contact_endpoints_declare_named_response_schemas(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/statistics/contact-reasons", "/api/v1/statistics/helpline-contacts"):
        schema = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in schema or "$ref" in schema.get("items", {}), path
