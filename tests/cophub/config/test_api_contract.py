"""The API keeps its published contract: documented status codes and error shapes, bounded
numbers and periods, and one schema per component name (issue 12, item 7)."""

import json
from collections.abc import Callable
from typing import Any

from django.test import Client
from ninja import Schema

from cophub.accounts.models import Organisation, Role, User
from cophub.config.api import api
from cophub.coordination.models import Report

REPORT = {"kind": "quarterly", "period_start": "2026-07-01", "period_end": "2026-09-30"}


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def test_no_two_api_schemas_share_a_component_name() -> None:
    # OpenAPI components are keyed by class name: two classes of one name publish one of
    # them for both, so responses of the other break the published schema.
    api.get_openapi_schema()  # imports every router
    mine = [cls for cls in _subclasses(Schema) if cls.__module__.startswith("cophub.")]
    names: dict[str, list[str]] = {}
    for cls in mine:
        names.setdefault(cls.__name__, []).append(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: where for name, where in names.items() if len(where) > 1} == {}


def test_unsafe_method_without_credentials_is_401_not_a_csrf_failure(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/tokens", data=json.dumps({"name": "x"}), content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_signed_in_session_without_csrf_token_is_403_in_the_error_shape(
    make_user: Callable[..., User],
) -> None:
    user = make_user(Role.BDT_STAFF, username="bdt", kind=Organisation.Kind.ITU_BDT)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(
        "/api/v1/tokens",
        data=json.dumps({"name": "x"}),
        content_type="application/json",
        headers={"Accept-Language": "fr"},
    )
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "csrf_failed"
    assert "CSRF" in body["message"] and "check Failed" not in body["message"]


def test_body_over_the_size_limit_answers_in_the_error_shape(
    client: Client, settings: Any, bdt_staff: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/api/v1/tokens",
        data=json.dumps({"name": "x" * 5000}),
        content_type="application/json",
        headers=token_for(bdt_staff),
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_too_many_fields_answers_in_the_error_shape(client: Client, db: None) -> None:
    fields = {f"f{index}": "1" for index in range(1100)}
    response = client.post("/api/v1/tokens", fields)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "too_many_fields"


def test_integers_beyond_64_bits_are_refused_in_paths_queries_and_bodies(
    client: Client, bdt_staff: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    headers = token_for(bdt_staff)
    body = client.post(
        "/api/v1/coordination/meetings/1/attendance",
        data=json.dumps({"attended": [1, 10**20]}),
        content_type="application/json",
        headers=headers,
    )
    assert body.status_code == 422
    assert body.json()["details"]["errors"][0] == {
        "field": "attended.1",
        "code": "out_of_range",
        "message": "The number is out of range.",
    }
    path = client.get(f"/api/v1/coordination/meetings/{10**20}", headers=headers)
    assert path.status_code == 422
    assert path.json()["details"]["errors"][0]["code"] == "out_of_range"
    query = client.get("/api/v1/statistics/observations", {"year": str(10**20)})
    assert query.status_code == 422
    assert query.json()["details"]["errors"][0]["field"] == "year"


def test_report_periods_are_bounded(
    client: Client, bdt_staff: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    payload = {**REPORT, "period_start": "0001-01-01", "period_end": "9999-12-31"}
    response = client.post(
        "/api/v1/coordination/reports",
        data=json.dumps(payload),
        content_type="application/json",
        headers=token_for(bdt_staff),
    )
    assert response.status_code == 422
    fields = {(e["field"], e["code"]) for e in response.json()["details"]["errors"]}
    assert ("period_start", "out_of_range") in fields
    assert ("period_end", "out_of_range") in fields
    assert not Report.objects.exists()


def test_compiling_a_report_is_forbidden_alike_on_the_page_and_in_the_api(
    focal_ke: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    api_client = Client()
    refused = api_client.post(
        "/api/v1/coordination/reports",
        data=json.dumps(REPORT),
        content_type="application/json",
        headers=token_for(focal_ke),
    )
    assert refused.status_code == 403
    page_client = Client(enforce_csrf_checks=True)
    page_client.force_login(focal_ke)
    page_client.get("/en/coordination/reports/")
    token = page_client.cookies["csrftoken"].value
    response = page_client.post(
        "/en/coordination/reports/", {**REPORT, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 403
    assert not Report.objects.exists()
