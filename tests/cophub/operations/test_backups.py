"""``cophub backup`` / ``cophub restore``: a round trip on the test database's own engine
(SQLite in memory by default, PostgreSQL in the PostgreSQL run of ``make test``) restored into a
fresh database by a real ``cophub restore`` process, which then serves the data; and the
refusals (altered file, other microdata key, a target holding data, a used folder)."""

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from cophub.accounts.models import User
from cophub.helplines.services import demo_helplines_load
from cophub.reference.services import reference_load
from cophub.statistics.encryption import microdata_store

UPLOAD = "practices/attachments/evidence.txt"
MICRODATA = b"weight,stratum,psu,answer\n1.5,1,1,yes\n"
SERVE_SCRIPT = """
import json
import django
django.setup()
from django.test import Client
from cophub.accounts.models import User
from cophub.helplines.models import Helpline
from cophub.statistics.encryption import microdata_read
import sys
answer = Client(HTTP_HOST="localhost").get("/api/v1/helplines/resolve", {"country": "KE"})
print(json.dumps({
    "status": answer.status_code,
    "names": sorted(r["name"] for r in answer.json()["results"]),
    "helplines": Helpline.objects.count(),
    "users": sorted(User.objects.values_list("username", flat=True)),
    "microdata": microdata_read(sys.argv[1]).decode(),
}))
"""


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """The default storage on disk (tests otherwise keep files in memory)."""
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def _stored_files() -> str:
    User.objects.create_user(username="keeper", password="x" * 20)
    default_storage.save(UPLOAD, ContentFile(b"evidence"))
    return microdata_store(MICRODATA)


def _digests(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def restore_target(tmp_path: Path) -> Iterator[str]:
    """DATABASE_URL of a new, empty database of the same engine as the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_restore"
    url = (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}"
        f"@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}"
    )
    with psycopg.connect(f"{url}/postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        server.execute(f'CREATE DATABASE "{name}"')
    yield f"{url}/{name}"
    with psycopg.connect(f"{url}/postgres", autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _cophub(environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cophub.manage", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_counts_and_files_and_the_site_serves_them(
    media: Path, tmp_path: Path, restore_target: str, settings: Any
) -> None:
    reference_load()
    demo_helplines_load()
    microdata_name = _stored_files()
    source = Client().get("/api/v1/helplines/resolve", {"country": "KE"}).json()
    call_command("backup", str(tmp_path / "backup"))

    restored = tmp_path / "restored"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cophub.config.settings.demo",
        "DATABASE_URL": restore_target,
        "COPHUB_VAR_DIR": str(restored),
        "SECRET_KEY": settings.SECRET_KEY,  # the microdata key is derived from it
    }
    done = _cophub(environment, "restore", str(tmp_path / "backup"))
    assert done.returncode == 0, done.stderr
    assert "row counts and checksums match the manifest" in done.stdout

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["tables"]["helplines_helpline"] > 0
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == _digests(media)
    assert _digests(restored / "media") == _digests(media)

    served = subprocess.run(
        [sys.executable, "-c", SERVE_SCRIPT, microdata_name],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert served.returncode == 0, served.stderr
    answer = json.loads(served.stdout.strip().splitlines()[-1])
    from cophub.helplines.models import Helpline

    assert answer["status"] == 200
    assert answer["names"] == sorted(r["name"] for r in source["results"])
    assert answer["names"]
    assert answer["helplines"] == Helpline.objects.count()
    assert answer["users"] == ["keeper"]
    assert answer["microdata"] == MICRODATA.decode()

    again = _cophub(environment, "restore", str(tmp_path / "backup"))
    assert again.returncode != 0
    assert "already holds data" in again.stderr


@pytest.fixture
def backup(media: Path, tmp_path: Path, db: None) -> Path:
    _stored_files()
    call_command("backup", str(tmp_path / "backup"))
    for path in list(media.rglob("*")):
        if path.is_file():
            path.unlink()
    return tmp_path / "backup"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_altered_file_before_writing_anything(backup: Path) -> None:
    (backup / "files" / UPLOAD).write_bytes(b"forged")
    User.objects.all().delete()
    with pytest.raises(CommandError, match=r"does not match its manifest.*evidence\.txt"):
        call_command("restore", str(backup), force=True)
    assert not User.objects.exists()
    assert not default_storage.exists(UPLOAD)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_another_microdata_key(backup: Path, settings: Any) -> None:
    settings.COPHUB_MICRODATA_KEY = [Fernet.generate_key().decode()]
    User.objects.all().delete()
    with pytest.raises(CommandError, match=r"microdata key differs.*would be unreadable: 1\."):
        call_command("restore", str(backup))
    assert not User.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_holding_data_unless_forced(backup: Path) -> None:
    User.objects.filter(username="keeper").update(username="changed")
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(backup))
    assert User.objects.get().username == "changed"

    call_command("restore", str(backup), force=True)
    assert User.objects.get().username == "keeper"
    assert default_storage.open(UPLOAD).read() == b"evidence"


@pytest.mark.django_db(transaction=True)
def test_backup_refuses_a_folder_in_use_and_restore_a_folder_without_manifest(
    backup: Path, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="must be new or empty"):
        call_command("backup", str(backup))
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match="does not hold a complete, unaltered backup"):
        call_command("restore", str(tmp_path / "empty"))
