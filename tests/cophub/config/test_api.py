import json
from collections.abc import Callable
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client

from cophub.accounts.models import Organisation, Role, User

pytestmark = pytest.mark.django_db


def test_openapi_document_lists_the_endpoints(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/reference/countries" in paths
    assert "/api/v1/organisations/{organisation_id}" in paths


def test_unknown_api_route_is_a_json_404_in_the_error_shape(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"code": "not_found", "message": "Not found.", "details": {}}


def test_wrong_token_is_401(client: Client) -> None:
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer cph_0000_wrong")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_token_authenticates_and_shows_roles(
    client: Client, focal_ke: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    headers = token_for(focal_ke)
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "focal-ke"
    assert body["roles"] == [
        {
            "role": "focal_point",
            "region": None,
            "country": "KE",
            "organisation": None,
            "language": "",
        }
    ]


def test_api_error_messages_follow_accept_language(client: Client) -> None:
    response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 401
    assert response.json()["message"] != "A valid API token or a signed-in session is needed."


def test_tokens_created_by_api_are_stored_hashed_and_can_be_revoked(
    client: Client, focal_ke: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    headers = token_for(focal_ke)
    created = client.post(
        "/api/v1/tokens", data={"name": "nso"}, content_type="application/json", headers=headers
    )
    assert created.status_code == 201
    plaintext = created.json()["token"]
    stored = focal_ke.cophub_api_tokens.get(pk=created.json()["id"])
    assert plaintext not in (stored.key_hash, stored.prefix)
    new_headers = {"Authorization": f"Bearer {plaintext}"}
    assert client.get("/api/v1/me", headers=new_headers).status_code == 200
    revoked = client.delete(f"/api/v1/tokens/{stored.pk}", headers=headers)
    assert revoked.status_code == 204
    assert client.get("/api/v1/me", headers=new_headers).status_code == 401


def _organisation(country: str) -> Organisation:
    return Organisation.objects.create(
        name=f"Regulator {country}", kind=Organisation.Kind.MEMBER_STATE, country_id=country
    )


def patch(client: Client, url: str, body: Any, headers: dict[str, str]) -> Any:
    return client.patch(
        url, data=json.dumps(body), content_type="application/json", headers=headers
    )


def test_an_organisation_the_user_cannot_see_looks_missing(
    client: Client, focal_ke: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    brazilian = _organisation("BR")
    headers = token_for(focal_ke)
    hidden = client.get(f"/api/v1/organisations/{brazilian.pk}", headers=headers)
    missing = client.get("/api/v1/organisations/999999", headers=headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert (
        patch(client, f"/api/v1/organisations/{brazilian.pk}", {"name": "x"}, headers).status_code
        == 404
    )


def test_seeing_is_not_editing_403_for_a_forbidden_action(
    client: Client, make_user: Callable[..., User], token_for: Callable[[User], dict[str, str]]
) -> None:
    kenyan = _organisation("KE")
    officer = make_user(Role.REGIONAL_OFFICER, username="ro-afr", region="AFR")
    headers = token_for(officer)
    assert client.get(f"/api/v1/organisations/{kenyan.pk}", headers=headers).status_code == 200
    response = patch(client, f"/api/v1/organisations/{kenyan.pk}", {"name": "Renamed"}, headers)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    kenyan.refresh_from_db()
    assert kenyan.name == "Regulator KE"


def test_focal_point_updates_an_organisation_of_their_country_and_it_is_audited(
    client: Client, focal_ke: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    kenyan = _organisation("KE")
    response = patch(
        client,
        f"/api/v1/organisations/{kenyan.pk}",
        {"website": "https://ca.go.ke/"},
        token_for(focal_ke),
    )
    assert response.status_code == 200
    assert response.json()["website"] == "https://ca.go.ke/"
    entry = LogEntry.objects.get_for_object(kenyan).latest("timestamp")
    assert entry.actor == focal_ke
    assert "https://ca.go.ke/" in str(entry.changes)


def test_malformed_payload_is_422_with_field_paths_and_nothing_written(
    client: Client, focal_ke: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    kenyan = _organisation("KE")
    headers = token_for(focal_ke)
    response = patch(client, f"/api/v1/organisations/{kenyan.pk}", {"name": ""}, headers)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["details"]["errors"][0]["field"] == "name"
    invalid_url = patch(
        client,
        f"/api/v1/organisations/{kenyan.pk}",
        {"name": "New name", "website": "not a url"},
        headers,
    )
    assert invalid_url.status_code == 422
    assert invalid_url.json()["details"]["errors"][0]["field"] == "website"
    kenyan.refresh_from_db()
    assert kenyan.name == "Regulator KE"


def test_session_clients_need_csrf_for_unsafe_methods(focal_ke: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(focal_ke, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/api/v1/me").status_code == 200
    response = client.post("/api/v1/tokens", data={"name": "x"}, content_type="application/json")
    assert response.status_code == 403


def test_country_list_is_one_query_for_any_number_of_countries(
    client: Client, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    # Countries, their groupings (one prefetch), and the request's savepoint pair.
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/reference/countries?itu_member=true")
    countries = {c["iso2"]: c for c in response.json()["results"]}
    assert len(countries) == 194
    assert countries["KE"]["region"] == "AFR"
    assert countries["KE"]["names"]["zh-hans"] == "肯尼亚"
    assert "LLDC" not in countries["KE"]["groupings"]
    assert "LLDC" in countries["ET"]["groupings"]
