"""Fingerprints of translation sources: SHA-256 over a canonical form of what is translated.

Two sources with the same translatable text have the same fingerprint, whatever else changed
(tags, layout, a re-save without edits); any change of wording gives a new one."""

import hashlib
import json
from collections.abc import Iterable, Iterator


def fingerprint_segments(segments: Iterable[tuple[str, str]]) -> str:
    """Of ``(context, text)`` pairs in document order.

    >>> fingerprint_segments([("title", "Hello")]) == fingerprint_segments([("title", "Hello")])
    True
    >>> fingerprint_segments([("title", "Hello")]) == fingerprint_segments([("title", "Hello!")])
    False
    """
    canonical = json.dumps(
        [[context, text] for context, text in segments], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def fingerprint_chunks(chunks: Iterable[bytes] | Iterator[bytes]) -> str:
    """Of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()
