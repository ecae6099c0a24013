"""Collecting static files only when they changed.

``collectstatic`` with WhiteNoise's compressed manifest storage costs about 50 s of CPU (it
hashes every file and writes gzip and Brotli copies of each), and ``cophub serve`` and
``cophub demo`` ran it at every start: an app server restarted after a crash was out for a
minute. The sources are fingerprinted (path and content of every file the finders list, and the
storage backend); the fingerprint of the last complete collection is kept beside the collected
files, and collection is skipped while they match. A lock makes app servers that start together
on one ``STATIC_ROOT`` collect once: the others wait, then find the fingerprint current.
"""

import fcntl
import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command

STAMP = ".cophub-collected"
LOCK = ".cophub-collecting"
# collectstatic's own default ignore patterns.
IGNORE_PATTERNS = ["CVS", ".*", "*~"]


def sources_fingerprint() -> str:
    """A digest of every static source file (its served path and its content) and of the
    storage that post-processes them."""
    found: dict[str, Path] = {}
    for finder in get_finders():
        for path, storage in finder.list(IGNORE_PATTERNS):
            prefix = getattr(storage, "prefix", None) or ""
            served = f"{prefix}/{path}" if prefix else path
            # The first finder to list a path wins, as in collectstatic.
            found.setdefault(served, Path(storage.path(path)))
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    for served in sorted(found):
        digest.update(served.encode() + b"\0")
        digest.update(hashlib.sha256(found[served].read_bytes()).digest())
    return digest.hexdigest()


def static_collect() -> bool:
    """Run ``collectstatic`` unless the collected files are those of the current sources;
    True when it ran."""
    root = Path(settings.STATIC_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    stamp = root / STAMP
    with (root / LOCK).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        fingerprint = sources_fingerprint()
        if stamp.exists() and stamp.read_text(encoding="ascii").strip() == fingerprint:
            return False
        stamp.unlink(missing_ok=True)  # a collection cut short leaves no current stamp
        call_command("collectstatic", interactive=False, verbosity=0)
        stamp.write_text(fingerprint + "\n", encoding="ascii")
        return True
