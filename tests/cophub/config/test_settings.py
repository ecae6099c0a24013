import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test.utils import override_settings

from cophub.accounts.models import User
from cophub.accounts.services import DEMO_PASSWORD, demo_accounts_create
from cophub.portal.errors import ActionForbidden


def _django_setup(settings_module: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    environment.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.standalone
def test_production_settings_refuse_to_start_without_a_secret() -> None:
    result = _django_setup("cophub.config.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.standalone
def test_production_settings_start_with_a_secret_from_the_environment() -> None:
    result = _django_setup("cophub.config.settings.production", SECRET_KEY="x" * 60)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.django_db
def test_demo_accounts_one_per_role_with_the_demo_password() -> None:
    users = demo_accounts_create()
    assert [u.username for u in users] == [
        "bdt-staff",
        "ro-africa",
        "focal-ke",
        "focal-br",
        "helpline-ke",
        "sector-member",
        "focal-np",
        "cwg-expert",
        "translator-ar",
    ]
    focal = User.objects.get(username="focal-ke")
    assert focal.check_password(DEMO_PASSWORD)
    assert focal.role_assignments.get().country_id == "KE"
    assert User.objects.get(username="translator-ar").role_assignments.get().language == "ar"


@pytest.mark.django_db
@override_settings(COPHUB_DEMO=False)
def test_demo_accounts_are_refused_outside_demo_mode() -> None:
    with pytest.raises(ActionForbidden):
        demo_accounts_create()
    with pytest.raises(CommandError):
        call_command("load_demo_accounts")
    assert not User.objects.filter(username="bdt-staff").exists()


@pytest.mark.standalone
def test_redis_cache_when_redis_url_is_set() -> None:
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    script = (
        "import django; django.setup();"
        "from django.core.cache import cache; from django.conf import settings;"
        "cache.set('cophub-ci', 'ok', 30);"
        "print(settings.CACHES['default']['BACKEND'], cache.get('cophub-ci'))"
    )
    environment = dict(os.environ, DJANGO_SETTINGS_MODULE="cophub.config.settings.test")
    environment["REDIS_URL"] = redis_url
    result = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=False
    )
    if "Connection refused" in result.stderr or "Error 111" in result.stderr:
        pytest.skip(f"no Redis at {redis_url}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "ok"]


def test_kept_database_connections_are_checked_before_a_request_reuses_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After a database restart a kept connection is dead; without the check, each server
    thread's next request failed with a 500 (seen on deploy/cluster)."""
    from cophub.config.settings.environment import database_settings

    monkeypatch.setenv("DATABASE_URL", "postgres://cophub@db.internal:5432/cophub")
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "60")
    database = database_settings("sqlite://:memory:")["default"]
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
