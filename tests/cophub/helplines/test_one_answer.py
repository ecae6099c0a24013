"""One-answer mode (``best=1``), the pairing of helplines that it shows both or neither of, and
where pairs are edited (import, API, back office) and exported."""

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from cophub.accounts.models import Organisation, Role, User
from cophub.helplines.directory_export import export_csv, export_hsds, export_json
from cophub.helplines.models import Helpline
from cophub.helplines.selectors import helpline_queryset
from cophub.helplines.services import helplines_import
from cophub.portal.errors import InvalidInput

from .conftest import fixture_document

pytestmark = pytest.mark.usefixtures("directory")
MONDAY_NOON_NAIROBI = "2026-11-30T09:00:00Z"
Headers = Callable[[User], dict[str, str]]


def best(client: Client, **params: str) -> Any:
    return client.get("/api/v1/helplines/resolve", {"best": "1", **params})


def pair_kenyan_lines() -> None:
    document = fixture_document("directory.json")
    for entry in document["helplines"]:
        if entry["id"] == "ke-test-childline":
            entry["paired_with"] = ["ke-test-general"]
    helplines_import(document)


def test_one_answer_is_the_best_contact_and_one_emergency_number(client: Client) -> None:
    response = best(client, country="KE", at=MONDAY_NOON_NAIROBI, lang="sw")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"country", "best", "paired", "fallback", "notice"}
    assert (body["best"]["helpline"], body["best"]["href"]) == ("ke-test-childline", "tel:116")
    assert body["best"]["name"] == "Simu ya Watoto (majaribio)"
    assert body["paired"] == []
    assert body["fallback"]["display"] == "999"
    assert body["notice"] is None
    # The full answer is unchanged without the flag, and its first result is the same.
    full = client.get("/api/v1/helplines/resolve", {"country": "KE", "at": MONDAY_NOON_NAIROBI})
    assert full.json()["results"][0]["href"] == "tel:116"


def test_a_paired_helpline_comes_with_its_partner_both_or_neither(client: Client) -> None:
    pair_kenyan_lines()
    body = best(client, country="KE", at=MONDAY_NOON_NAIROBI).json()
    assert body["best"]["helpline"] == "ke-test-childline"
    assert [r["helpline"] for r in body["paired"]] == ["ke-test-general"]
    # By SMS the general line cannot be reached: neither of the pair is given.
    by_sms = best(client, country="KE", channels="sms", at=MONDAY_NOON_NAIROBI).json()
    assert by_sms["best"] is None and by_sms["paired"] == []
    assert by_sms["fallback"]["display"] == "999"
    assert "No single helpline" in by_sms["notice"]


def test_one_answer_for_a_country_without_helplines_and_a_bad_flag(client: Client) -> None:
    body = best(client, country="FR").json()
    assert body["best"]["display"] == "3018"
    unknown = best(client, country="BR").json()
    assert unknown["best"] is None and unknown["fallback"] is None
    assert "We do not know a child helpline" in unknown["notice"]
    refused = client.get("/api/v1/helplines/resolve", {"country": "KE", "best": "yes"})
    assert refused.status_code == 400
    assert refused.json()["details"]["parameter"] == "best"


def test_openapi_documents_both_answers(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    schema = document["paths"]["/api/v1/helplines/resolve"]["get"]["responses"]["200"]
    refs = {item["$ref"] for item in schema["content"]["application/json"]["schema"]["anyOf"]}
    assert refs == {"#/components/schemas/ResolutionOut", "#/components/schemas/OneAnswerOut"}
    assert set(document["components"]["schemas"]["OneAnswerOut"]["properties"]) == {
        "country", "best", "paired", "fallback", "notice",
    }  # fmt: skip


def test_pairing_is_symmetric_and_exported_in_every_format() -> None:
    pair_kenyan_lines()
    general = Helpline.objects.get(slug="ke-test-general")
    assert list(general.paired_with.values_list("slug", flat=True)) == ["ke-test-childline"]
    entries = {h["id"]: h for h in json.loads(export_json(helpline_queryset()))["helplines"]}
    assert entries["ke-test-childline"]["paired_with"] == ["ke-test-general"]
    assert entries["ke-test-general"]["paired_with"] == ["ke-test-childline"]
    assert entries["fr-test-enfance"]["paired_with"] == []
    rows = list(csv.DictReader(io.StringIO(export_csv(helpline_queryset()))))
    assert {r["paired_with"] for r in rows if r["id"] == "ke-test-general"} == {"ke-test-childline"}
    services = json.loads(export_hsds(helpline_queryset()))["services"]
    childline = next(s for s in services if s["id"] == "ke-test-childline")
    assert {"code": "ke-test-general", "taxonomy": "cophub.paired_with"} in [
        a["taxonomy_term"] for a in childline["attributes"]
    ]
    # The export imports again as is, and an entry that leaves pairs out keeps them.
    helplines_import(json.loads(export_json(helpline_queryset())))
    document = fixture_document("directory.json")
    helplines_import(document)
    assert general.paired_with.count() == 1
    # An empty list removes the pair on both sides.
    for entry in document["helplines"]:
        entry["paired_with"] = []
    helplines_import(document)
    assert general.paired_with.count() == 0


@pytest.mark.parametrize(
    ("partner", "code"),
    [
        ("no-such-line", "unknown_pair"),
        ("fr-test-enfance", "pair_not_allowed"),  # another country
        ("ke-test-emergency", "pair_not_allowed"),
        ("ke-test-childline", "pair_not_allowed"),  # itself
        ("ke-test-general", "pair_not_mutual"),  # in the file, without the pair back
    ],
)
def test_bad_pairs_are_named_by_path_and_nothing_is_imported(partner: str, code: str) -> None:
    document = fixture_document("directory.json")
    entries = {entry["id"]: entry for entry in document["helplines"]}
    entries["ke-test-childline"]["paired_with"] = [partner]
    entries["ke-test-general"]["paired_with"] = []
    with pytest.raises(InvalidInput) as refused:
        helplines_import(document)
    index = document["helplines"].index(entries["ke-test-childline"])
    assert [(e["field"], e["code"]) for e in refused.value.details["errors"]] == [
        (f"$.helplines[{index}].paired_with[0]", code)
    ]
    assert not Helpline.objects.get(slug="ke-test-childline").paired_with.exists()


def _entry(client: Client, slug: str) -> dict[str, Any]:
    listed = client.get("/api/v1/helplines", {"country": "KE"}).json()["results"]
    entry: dict[str, Any] = next(h for h in listed if h["id"] == slug)
    return entry


def _put(client: Client, slug: str, body: Any, headers: dict[str, str]) -> Any:
    return client.put(
        f"/api/v1/helplines/{slug}", data=json.dumps(body), content_type="application/json",
        headers=headers,
    )  # fmt: skip


def test_bdt_staff_pair_entries_through_the_api_and_editors_cannot(
    client: Client, make_user: Callable[..., User], bdt_staff: User, token_for: Headers
) -> None:
    operator = Organisation.objects.create(name="Op", kind="child_helpline", country_id="KE")
    Helpline.objects.filter(slug="ke-test-childline").update(organisation=operator)
    editor = make_user(Role.HELPLINE_EDITOR, username="editor", organisation=operator)
    entry = _entry(client, "ke-test-childline")
    paired = {**entry, "paired_with": ["ke-test-general"]}
    refused = _put(client, "ke-test-childline", paired, token_for(editor))
    assert refused.status_code == 403
    assert refused.json()["details"]["errors"][0]["field"] == "$.paired_with"
    assert _put(client, "ke-test-childline", paired, token_for(bdt_staff)).status_code == 200
    assert _entry(client, "ke-test-general")["paired_with"] == ["ke-test-childline"]
    # The editor may send the pairs back unchanged, or leave them out.
    entry = _entry(client, "ke-test-childline")
    assert _put(client, "ke-test-childline", entry, token_for(editor)).status_code == 200
    entry.pop("paired_with")
    assert _put(client, "ke-test-childline", entry, token_for(editor)).status_code == 200
    assert _entry(client, "ke-test-childline")["paired_with"] == ["ke-test-general"]


def test_the_widget_shows_the_one_answer_and_a_link_to_all(client: Client) -> None:
    pair_kenyan_lines()
    page = client.get("/en/widget/KE/").content.decode()
    assert 'href="tel:116"' in page and 'href="tel:0800720000"' in page
    assert 'href="sms:21116"' not in page  # one answer, not the list
    assert 'href="/en/help/KE/" target="_top"' in page
    in_swahili = client.get("/en/widget/KE/", {"lang": "sw"}).content.decode()
    assert 'href="/en/help/KE/?lang=sw" target="_top"' in in_swahili
    everything = client.get("/en/widget/KE/", {"all": "1"}).content.decode()
    assert 'href="sms:21116"' in everything and 'href="/en/help/KE/"' not in everything


def test_bdt_staff_pair_entries_in_the_back_office_within_one_country(bdt_staff: User) -> None:
    client = Client()
    client.force_login(bdt_staff, backend="django.contrib.auth.backends.ModelBackend")
    childline = Helpline.objects.get(slug="ke-test-childline")
    url = f"/en/admin/helplines/helpline/{childline.pk}/change/"
    assert "paired_with" in client.get(url).context["adminform"].form.fields
    french = Helpline.objects.get(slug="fr-test-enfance")
    refused = client.post(url, {"paired_with": [french.pk]})
    assert refused.status_code == 200
    assert "fr-test-enfance cannot be paired" in refused.content.decode()
    assert not childline.paired_with.exists()
    general = Helpline.objects.get(slug="ke-test-general")
    assert client.post(url, {"paired_with": [general.pk]}).status_code == 302
    assert list(general.paired_with.all()) == [childline]
