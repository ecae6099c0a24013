"""Fixtures of the strategies tests: the bundled frameworks loaded once per test database,
API helpers, and assessments at the stages the tests need."""

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cophub.accounts.models import Organisation, Role, User
from cophub.reference.models import Country
from cophub.strategies import services
from cophub.strategies.framework_format import frameworks_load
from cophub.strategies.models import Answer, Assessment, Evidence, Framework, Item
from cophub.strategies.profiles import profile_publish, profile_validate

Headers = dict[str, str]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        frameworks_load()


class Api:
    """JSON calls to /api/v1/strategies/ as one user."""

    def __init__(self, client: Client, headers: Headers) -> None:
        self.client = client
        self.headers = headers

    def url(self, path: str) -> str:
        return f"/api/v1/strategies/{path.lstrip('/')}"

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(self.url(path), params, headers=self.headers)

    def send(self, method: str, path: str, body: Any = None) -> Any:
        call = getattr(self.client, method)
        return call(
            self.url(path),
            data=json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self.headers,
        )

    def post(self, path: str, body: Any = None) -> Any:
        return self.send("post", path, body)

    def put(self, path: str, body: Any = None) -> Any:
        return self.send("put", path, body)

    def patch(self, path: str, body: Any = None) -> Any:
        return self.send("patch", path, body)

    def delete(self, path: str) -> Any:
        return self.client.delete(self.url(path), headers=self.headers)


@pytest.fixture
def api_as(client: Client, token_for: Callable[[User], Headers]) -> Callable[[User], Api]:
    return lambda user: Api(client, token_for(user))


@pytest.fixture
def ro_africa(make_user: Callable[..., User]) -> User:
    return make_user(
        Role.REGIONAL_OFFICER,
        username="ro-africa",
        region="AFR",
        kind=Organisation.Kind.ITU_REGIONAL_OFFICE,
    )


@pytest.fixture
def ro_americas(make_user: Callable[..., User]) -> User:
    return make_user(
        Role.REGIONAL_OFFICER,
        username="ro-americas",
        region="AMS",
        kind=Organisation.Kind.ITU_REGIONAL_OFFICE,
    )


@pytest.fixture
def police_ke(make_user: Callable[..., User]) -> User:
    """A user of another Kenyan organisation, with no role: a co-respondent to be."""
    return make_user(username="police-ke", country="KE")


def itu_framework() -> Framework:
    return Framework.objects.get(key="itu-areas", version="1.0")


LINK = {
    "title": "National Child Online Protection Policy",
    "url": "https://example.org/policy.pdf",
    "issuing_body": "Ministry of ICT",
    "issued_on": "2024-03-01",
    "language": "en",
}


def evidence_input() -> services.EvidenceInput:
    return services.EvidenceInput(
        title=LINK["title"],
        url=LINK["url"],
        issuing_body=LINK["issuing_body"],
        issued_on=date(2024, 3, 1),
        language="en",
    )


def answer_everything(
    assessment: Assessment,
    user: User,
    choice: str = "partial",
    phase: int = 2,
    overrides: dict[str, Any] | None = None,
) -> None:
    """Answer every required question not answered yet, with evidence behind each Yes or
    Partial: rows written in bulk (set-up only; the services are tested through the API)."""
    overrides = overrides or {}
    answered = set(assessment.answers.values_list("item_id", flat=True))
    answers, evidence = [], []
    now = timezone.now()
    for item in assessment.framework.items.filter(required=True).exclude(pk__in=answered):
        value: Any = {"yes_no_partial": choice, "maturity": phase}.get(item.kind, "1")
        value = overrides.get(item.key, value)
        fields: dict[str, Any]
        if item.kind == "numeric":
            fields = {"number": Decimal(str(value))}
        else:
            fields = {
                {"yes_no_partial": "choice", "maturity": "maturity"}.get(item.kind, "text"): value
            }
        answers.append(
            Answer(assessment=assessment, item=item, answered_by=user, answered_at=now, **fields)
        )
        if value in ("yes", "partial"):
            evidence.append(
                Evidence(
                    assessment=assessment, item=item, title=LINK["title"], url=LINK["url"],
                    issuing_body=LINK["issuing_body"], issued_on=date(2024, 3, 1),
                    language="en", added_by=user,
                )
            )  # fmt: skip
    Answer.objects.bulk_create(answers)
    Evidence.objects.bulk_create(evidence)


@pytest.fixture
def make_assessment() -> Callable[..., Assessment]:
    def make(
        user: User,
        country: str,
        year: int = 2025,
        *,
        answered: bool = False,
        submitted: bool = False,
        published: str | None = None,
        phase: int = 2,
        framework: Framework | None = None,
    ) -> Assessment:
        assessment = services.assessment_open(
            user=user,
            country=Country.objects.get(iso2=country),
            year=year,
            framework=framework or itu_framework(),
        )
        if answered or submitted or published:
            answer_everything(assessment, user, phase=phase)
        if submitted or published:
            services.assessment_submit(assessment=assessment, user=user)
        if published:
            services.assessment_set_confidentiality(
                assessment=assessment, confidentiality=published
            )
            profile_validate(assessment=assessment, user=user)
            profile_publish(assessment=assessment, user=user)
        return Assessment.objects.get(pk=assessment.pk)

    return make


def first_item(kind: str, framework: Framework | None = None) -> Item:
    return (
        (framework or itu_framework())
        .items.filter(kind=kind)
        .order_by("section__position", "position")
        .first()
    )  # type: ignore[return-value]
