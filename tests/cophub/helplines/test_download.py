"""The whole directory as one streamed file (JSON, CSV, HSDS): the same content as the
command's export, an ETag that changes with any entry (304 when it matches), a translated
422 for an unknown format, and the JSON loads back."""

import csv
import io
import json

import pytest
from django.test import Client
from django.utils import timezone

from cophub.helplines.directory_export import export_csv, export_hsds, export_json
from cophub.helplines.models import Helpline
from cophub.helplines.selectors import helpline_queryset
from cophub.helplines.services import helplines_import
from cophub.helplines.verification.services import checks_record

pytestmark = pytest.mark.django_db
URL = "/api/v1/helplines/download"


def body(response: object) -> str:
    assert response.streaming  # type: ignore[attr-defined]
    return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]


def test_each_format_streams_what_the_command_exports(directory: None, client: Client) -> None:
    everything = helpline_queryset()
    got = client.get(URL)
    assert got.status_code == 200 and got["Content-Type"] == "application/json"
    assert json.loads(body(got)) == json.loads(export_json(everything))
    got = client.get(URL, {"format": "csv"})
    assert got["Content-Type"].startswith("text/csv")
    assert 'filename="cop-helplines-csv.csv"' in got["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body(got))))
    assert rows == list(csv.DictReader(io.StringIO(export_csv(everything))))
    assert len(rows) == sum(h.contacts.count() for h in Helpline.objects.all())
    got = client.get(URL, {"format": "hsds", "country": "ke"})
    kenya = everything.filter(country_id="KE")
    assert json.loads(body(got)) == json.loads(export_hsds(kenya))
    assert {s["service_areas"][0]["name"] for s in json.loads(export_hsds(kenya))["services"]} == {
        "KE"
    }


def test_the_etag_changes_with_any_entry_and_a_match_is_304(
    directory: None, client: Client
) -> None:
    first = client.get(URL, {"country": "KE"})
    tag = first["ETag"]
    assert tag and first["Last-Modified"]
    again = client.get(URL, {"country": "KE"}, headers={"If-None-Match": tag})
    assert again.status_code == 304 and not again.content
    assert client.get(URL, {"format": "csv", "country": "KE"})["ETag"] != tag
    entry = Helpline.objects.filter(country_id="KE").first()
    assert entry is not None
    checks_record(helpline=entry, checks=["number_dialled"], on=timezone.localdate().isoformat())
    changed = client.get(URL, {"country": "KE"}, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed["ETag"] != tag
    assert '"number_dialled"' in body(changed)


def test_an_unknown_format_is_refused_naming_it_in_the_clients_language(
    client: Client,
) -> None:
    refused = client.get(URL, {"format": "xml"}, headers={"Accept-Language": "fr"})
    assert refused.status_code == 422
    (problem,) = refused.json()["details"]["errors"]
    assert problem["field"] == "format" and problem["code"] == "invalid_choice"
    assert problem["message"].startswith("Choisissez")


def test_the_download_loads_back(directory: None, client: Client) -> None:
    document = json.loads(body(client.get(URL)))
    result = helplines_import(document)
    assert result.created == 0 and result.updated == Helpline.objects.count()


def test_queries_do_not_grow_with_the_directory(
    directory: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cursors fetch three rows at a time here, so the directory spans many fetches: the
    count of queries must stay the same, and the entries keep their own related rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cophub.helplines import directory_stream

    monkeypatch.setattr(directory_stream, "CHUNK", 3)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            body(client.get(URL))
        return len(captured)

    before, entries = queries(), Helpline.objects.count()
    document = json.loads(body(client.get(URL, {"country": "KE"})))
    copies = [
        {**entry, "id": f"{entry['id']}-copy-{i}", "paired_with": []}
        for i, entry in enumerate(document["helplines"] * 20)
    ]
    pairable = [c for c in copies if c["kind"] != "emergency"]  # emergency lines never pair
    for first, second in zip(pairable[::2], pairable[1::2], strict=False):
        first["paired_with"], second["paired_with"] = [second["id"]], [first["id"]]
    helplines_import({"format": document["format"], "helplines": copies})
    assert Helpline.objects.count() >= entries + 40
    assert Helpline.paired_with.through.objects.count() >= 40
    assert queries() == before
    assert json.loads(body(client.get(URL))) == json.loads(export_json(helpline_queryset()))
    got = json.loads(body(client.get(URL, {"country": "KE"})))
    assert got == json.loads(export_json(helpline_queryset().filter(country_id="KE")))
