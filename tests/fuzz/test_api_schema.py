"""Schema fuzzing of the whole JSON API with schemathesis, in process, on the test database
with the demo data loaded: anonymously, as BDT staff and as a Member State focal point.

The gate is "no server error" and "the response conforms to the published schema" on every
operation. Examples are bounded and derandomised (a fixed seed), so a run is repeatable and
stays within a few minutes; `make fuzz` runs it (part of `make test`)."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

# Examples per operation: enough to reach the validation and permission branches of every
# endpoint, few enough to keep the whole run near three minutes on two cores. Anonymous
# requests mostly stop at authentication, so they need fewer.
EXAMPLES = {"anonymous": 3, "bdt-staff": 7, "focal-ke": 5}


def _fuzz(role: str):  # type: ignore[no-untyped-def]
    @schema.parametrize()
    @settings(
        max_examples=EXAMPLES[role],
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def test(case: schemathesis.Case, tokens: dict[str, str]) -> None:
        headers = {"Authorization": f"Bearer {tokens[role]}"} if role in tokens else {}
        case.call_and_validate(
            headers=headers, checks=[not_a_server_error, response_schema_conformance]
        )

    return test


test_anonymous = _fuzz("anonymous")
test_bdt_staff = _fuzz("bdt-staff")
test_focal_point = _fuzz("focal-ke")
