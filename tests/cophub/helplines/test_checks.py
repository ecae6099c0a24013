"""System checks: ``check --deploy`` fails when SMS go through Africa's Talking and its
callbacks have no shared secret (``AT_CALLBACK_TOKEN``)."""

import os
import subprocess
import sys

import pytest
from django.core.checks import run_checks
from django.test import override_settings

# The deploy checks read the database too (accounts.E001/E002: active demo accounts).
pytestmark = pytest.mark.django_db


def deploy_check_ids() -> set[str]:
    return {message.id for message in run_checks(include_deployment_checks=True) if message.id}


@pytest.mark.parametrize(
    ("token", "demo", "client_name", "expected"),
    [
        ("", False, "africastalking", {"cophub.helplines.E001"}),
        ("", True, "africastalking", {"cophub.helplines.E001"}),
        ("", False, "recording", {"cophub.helplines.W001"}),
        ("", True, "recording", set()),
        ("a-long-random-secret", False, "africastalking", set()),
    ],
)
def test_deploy_check_wants_a_token_when_sms_go_through_africas_talking(
    token: str, demo: bool, client_name: str, expected: set[str]
) -> None:
    with override_settings(
        AT_CALLBACK_TOKEN=token, COPHUB_DEMO=demo, COPHUB_SMS_CLIENT=client_name
    ):
        assert deploy_check_ids() & {"cophub.helplines.E001", "cophub.helplines.W001"} == expected


@pytest.mark.standalone
def test_check_deploy_fails_under_production_settings_without_the_token() -> None:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"AT_CALLBACK_TOKEN", "SMS_CLIENT", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="cophub.config.settings.production",
        SECRET_KEY="check-deploy-test-" + "x" * 50,
        ALLOWED_HOSTS="cophub.example",
    )
    command = [sys.executable, "-m", "cophub.manage", "check", "--deploy", "--fail-level", "ERROR"]
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "cophub.helplines.E001" in result.stderr
