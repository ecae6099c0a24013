"""Encryption at rest of survey microdata (Fernet: AES-128-CBC with HMAC-SHA256).

The key is ``settings.COPHUB_MICRODATA_KEY`` (a Fernet key, or a list of them: the first
encrypts, every one decrypts, so keys can be rotated). Without it, a key is derived from
``SECRET_KEY`` with HKDF-SHA256 (RFC 5869) under a fixed, purpose-specific ``info``, so
rotating ``SECRET_KEY`` makes stored microdata unreadable: production should set its own key.
The encrypted bytes live in the default file storage; nothing of them reaches the database."""

import base64
import contextlib
import hashlib
import hmac
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

STORAGE_FOLDER = "statistics/microdata"
HKDF_INFO = b"cophub.statistics.microdata.v1"
FINGERPRINT_LABEL = b"cophub.statistics.microdata.key-fingerprint.v1"


def _keys() -> list[bytes]:
    configured = getattr(settings, "COPHUB_MICRODATA_KEY", None)
    if configured:
        values = configured if isinstance(configured, list | tuple) else [configured]
        return [value.encode() if isinstance(value, str) else value for value in values]
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(
        str(settings.SECRET_KEY).encode()
    )
    return [base64.urlsafe_b64encode(derived)]


def _cipher() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


def microdata_store(content: bytes) -> str:
    """Encrypt ``content`` and save it; returns the storage name."""
    token = _cipher().encrypt(content)
    return default_storage.save(f"{STORAGE_FOLDER}/{uuid.uuid4().hex}.enc", ContentFile(token))


def microdata_read(storage_name: str) -> bytes:
    """The decrypted bytes of a stored file (``InvalidToken`` if the key does not fit)."""
    with default_storage.open(storage_name, "rb") as handle:
        token = handle.read()
    return _cipher().decrypt(token)


def microdata_key_fingerprints() -> list[str]:
    """One fingerprint per current key, the encrypting key first: HMAC-SHA256 of a fixed label
    under the key, so two deployments can tell whether they share a key without showing it."""
    return [hmac.new(key, FINGERPRINT_LABEL, hashlib.sha256).hexdigest() for key in _keys()]


def microdata_token_readable(token: bytes) -> bool:
    """Whether the current key(s) decrypt ``token`` (the stored, encrypted bytes of a file)."""
    try:
        _cipher().decrypt(token)
    except InvalidToken:
        return False
    return True


def microdata_exists(storage_name: str) -> bool:
    """Whether the storage still holds the file."""
    return bool(default_storage.exists(storage_name))


def microdata_erase(storage_name: str) -> None:
    """Delete a stored file (nothing happens when it is already gone)."""
    with contextlib.suppress(FileNotFoundError, OSError):
        default_storage.delete(storage_name)


@contextlib.contextmanager
def microdata_plain_file(storage_name: str, extension: str) -> Iterator[Path]:
    """The decrypted file in a private temporary folder (mode 0700), removed on exit: the
    engine's readers take a path, and readstat and openpyxl need a real file."""
    content = microdata_read(storage_name)
    with tempfile.TemporaryDirectory(prefix="cophub-microdata-") as folder:
        path = Path(folder) / f"data{extension}"
        path.write_bytes(content)
        path.chmod(0o600)
        yield path


__all__ = [
    "InvalidToken",
    "microdata_erase",
    "microdata_exists",
    "microdata_key_fingerprints",
    "microdata_plain_file",
    "microdata_read",
    "microdata_store",
    "microdata_token_readable",
]
