"""How an app tells ``cophub check_storage`` about the files it keeps in the default storage.

Every model ``FileField`` is found by itself. An app that names files some other way (the
statistics microdata keep a storage name in a text column) declares them in its own
``stored_files.py`` as ``STORED_FILES = (FileOwner(...), ...)``; an app may also say what to do
with a row whose file is gone (``MISSING_FILE_REPAIRS = {label: repair}``, where ``label`` is
``app_label.model`` or ``app_label.model.field`` for a ``FileField``): ``repair(pk)`` puts the
object in its visible failed or missing state and returns whether it changed anything."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

Repair = Callable[[Any], bool]


@dataclass(frozen=True)
class FileOwner:
    """Rows that name files: ``label`` (``app_label.model[.field]``), ``rows()`` yielding
    ``(pk, storage name)``, and the ``repair`` of a row whose file is gone, if there is one."""

    label: str
    rows: Callable[[], Iterable[tuple[Any, str]]]
    repair: Repair | None = None
