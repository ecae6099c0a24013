"""Every JSON operation of the coordination API declares a named response schema (decision
0024): a client reads the shape of each answer from ``/api/v1/openapi.json``."""

import pytest
from django.test import Client

FILES = {  # operations answering with a file, not JSON
    ("get", "/api/v1/coordination/calendar.ics"),
    ("get", "/api/v1/coordination/meetings/{meeting_id}/calendar.ics"),
    ("get", "/api/v1/coordination/documents/{document_id}/versions/{language}/file"),
    ("get", "/api/v1/coordination/reports/{report_id}/export"),
    ("get", "/api/v1/coordination/reports/{report_id}/records.csv"),
}


def _named(schema: dict) -> bool:  # type: ignore[type-arg]
    if "$ref" in schema:
        return True
    return schema.get("type") == "array" and "$ref" in schema.get("items", {})


@pytest.mark.django_db
def test_every_json_operation_has_a_named_response_schema(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    operations = [
        (method, path, operation)
        for path, methods in paths.items()
        if path.startswith("/api/v1/coordination/")
        for method, operation in methods.items()
    ]
    assert len(operations) == 40
    untyped = []
    for method, path, operation in operations:
        if (method, path) in FILES:
            continue
        success = [code for code in operation["responses"] if code.startswith("2")]
        schemas = [
            operation["responses"][code].get("content", {}).get("application/json", {})
            for code in success
        ]
        if not schemas or not all(_named(entry.get("schema", {})) for entry in schemas):
            untyped.append((method, path))
    assert untyped == []
    # The operation ids stayed those of the one api.py the routers were split from.
    assert all(
        operation["operationId"].startswith("cophub_coordination_api_")
        for _method, _path, operation in operations
    )
