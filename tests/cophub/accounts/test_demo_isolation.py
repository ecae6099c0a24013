"""Demo accounts stay in the demo: their own database file, no sign-in (password, session,
token) where demo mode is off, and a system check that fails while any is active there."""

import os
import subprocess
import sys
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client, override_settings

from cophub.accounts.models import User
from cophub.accounts.services import DEMO_PASSWORD, demo_accounts_create

from .sign_in_pages import sign_in

NOT_DEMO = override_settings(COPHUB_DEMO=False)


def _cophub(
    settings_module: str, var_dir: Path, *arguments: str
) -> subprocess.CompletedProcess[str]:
    # A clean environment (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, a deploy error).
    unset = {"DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        COPHUB_VAR_DIR=str(var_dir),
        SECRET_KEY="demo-isolation-test-" + "x" * 50,
        ALLOWED_HOSTS="cophub.example",
        AT_CALLBACK_TOKEN="demo-isolation-test-token",
    )
    return subprocess.run(
        [sys.executable, "-m", "cophub.manage", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.standalone
def test_the_demo_keeps_its_data_in_its_own_database_file(tmp_path: Path) -> None:
    show = [
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
    ]
    demo = _cophub("cophub.config.settings.demo", tmp_path, *show)
    production = _cophub("cophub.config.settings.production", tmp_path, *show)
    assert demo.stdout.split()[-1] == str(tmp_path / "demo.sqlite3"), demo.stderr
    assert production.stdout.split()[-1] == str(tmp_path / "cophub.sqlite3"), production.stderr


@pytest.mark.standalone
def test_deploy_check_on_a_database_not_created_yet_says_nothing_and_creates_nothing(
    tmp_path: Path,
) -> None:
    result = _cophub(
        "cophub.config.settings.production",
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr
    assert "accounts.E00" not in result.stdout + result.stderr
    assert not (tmp_path / "cophub.sqlite3").exists()


@pytest.mark.django_db
def test_demo_accounts_sign_in_only_in_demo_mode() -> None:
    demo_accounts_create()
    with NOT_DEMO:
        refused = sign_in("bdt-staff", DEMO_PASSWORD)
        assert (refused.status, refused.signed_in) == (200, False)
        assert sign_in("focal-ke", DEMO_PASSWORD).signed_in is False
    assert sign_in("bdt-staff", DEMO_PASSWORD).signed_in


@pytest.mark.django_db
def test_the_demo_password_opens_no_account_outside_demo_mode(
    make_user: Callable[..., User],
) -> None:
    alice = make_user(username="alice")
    alice.set_password(DEMO_PASSWORD)
    alice.save()
    with NOT_DEMO:
        assert sign_in("alice", DEMO_PASSWORD).signed_in is False
    assert sign_in("alice", DEMO_PASSWORD).signed_in


@pytest.mark.django_db
def test_the_editors_sign_in_refuses_demo_accounts_outside_demo_mode() -> None:
    demo_accounts_create()
    with NOT_DEMO:
        assert sign_in("bdt-staff", DEMO_PASSWORD, path="/cms/login/").signed_in is False
    assert sign_in("bdt-staff", DEMO_PASSWORD, path="/cms/login/").signed_in


@pytest.mark.django_db
def test_a_demo_accounts_session_and_token_stop_working_outside_demo_mode(
    make_user: Callable[..., User], token_for: Callable[[User], dict[str, str]]
) -> None:
    demo_accounts_create()
    browser = sign_in("bdt-staff", DEMO_PASSWORD).client
    demo_token = token_for(User.objects.get(username="bdt-staff"))
    other_token = token_for(make_user(username="alice"))
    assert browser.get("/en/accounts/me/").status_code == 200
    assert Client().get("/api/v1/me", headers=demo_token).status_code == 200
    with NOT_DEMO:
        assert browser.get("/en/accounts/me/").status_code == 302  # to the sign-in page
        assert Client().get("/api/v1/me", headers=demo_token).status_code == 401
        assert Client().get("/api/v1/me", headers=other_token).status_code == 200


@pytest.mark.django_db
def test_checks_fail_while_a_demo_account_is_active_outside_demo_mode() -> None:
    demo_accounts_create()
    call_command("check", stdout=StringIO())  # demo mode: nothing to say
    with NOT_DEMO:
        with pytest.raises(SystemCheckError) as failed:
            call_command("check", stdout=StringIO())
        assert "accounts.E001" in str(failed.value)
        assert "bdt-staff" in str(failed.value) and "translator-ar" in str(failed.value)
        User.objects.filter(username__in=["bdt-staff", "focal-ke"]).update(is_active=False)
        with pytest.raises(SystemCheckError) as failed:
            call_command("check", stdout=StringIO())
        assert "bdt-staff" not in str(failed.value) and "focal-br" in str(failed.value)
        User.objects.update(is_active=False)
        call_command("check", stdout=StringIO())


@pytest.mark.django_db
def test_deploy_check_fails_for_another_account_with_the_demo_password(
    make_user: Callable[..., User],
) -> None:
    alice = make_user(username="alice")
    alice.set_password(DEMO_PASSWORD)
    alice.save()
    make_user(username="bob")
    with NOT_DEMO:
        call_command("check", stdout=StringIO())  # only the deploy checks try passwords
        # The security checks: the browser tests' environment trips Django's async.E001.
        with pytest.raises(SystemCheckError) as failed:
            call_command(
                "check", deploy=True, tags=["security"], stdout=StringIO(), stderr=StringIO()
            )
        assert "accounts.E002" in str(failed.value)
        assert "alice" in str(failed.value) and "bob" not in str(failed.value)
        alice.set_password("a passphrase of her own")
        alice.save()
        call_command("check", deploy=True, tags=["security"], stdout=StringIO(), stderr=StringIO())
