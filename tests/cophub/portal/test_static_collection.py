"""Static files are collected when their sources change, and only then."""

from pathlib import Path
from typing import Any

import pytest

from cophub.portal.static_collection import STAMP, sources_fingerprint, static_collect


@pytest.fixture
def static_settings(settings: Any, tmp_path: Path) -> Path:
    """A STATIC_ROOT of its own and one more source folder the test may change."""
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "extra.css").write_text("body { color: black; }")
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STATICFILES_DIRS = [sources]
    return sources


def test_collects_once_then_only_when_a_source_changes(static_settings: Path) -> None:
    root = static_settings.parent / "collected"
    assert static_collect() is True
    assert (root / "extra.css").exists() and (root / "cophub" / "quick-exit.js").exists()
    assert (root / STAMP).read_text().strip() == sources_fingerprint()

    (root / "extra.css").unlink()  # collected files are not looked at: the sources are
    assert static_collect() is False

    (static_settings / "extra.css").write_text("body { color: navy; }")
    assert static_collect() is True
    assert (root / "extra.css").read_text() == "body { color: navy; }"
    assert static_collect() is False


def test_a_new_source_file_or_another_storage_changes_the_fingerprint(
    static_settings: Path, settings: Any
) -> None:
    before = sources_fingerprint()
    (static_settings / "more.js").write_text("// new")
    added = sources_fingerprint()
    assert added != before
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    assert sources_fingerprint() != added


def test_a_collection_cut_short_is_done_again(
    static_settings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cophub.portal.static_collection as module

    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    assert static_collect() is True
    (static_settings / "extra.css").write_text("body { color: red; }")
    monkeypatch.setattr(module, "call_command", interrupted)
    with pytest.raises(KeyboardInterrupt):
        static_collect()
    monkeypatch.undo()
    assert static_collect() is True  # the old stamp was removed before collecting
