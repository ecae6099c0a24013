"""The statistics files in the default storage, for ``cophub check_storage``: each encrypted
upload (survey microdata, aggregate templates) is named by a ``Microdata`` row."""

from collections.abc import Iterable
from typing import Any

from cophub.portal.stored_files import FileOwner

from .checking import microdata_missing_record
from .models import Microdata


def _microdata_rows() -> Iterable[tuple[Any, str]]:
    return Microdata.objects.values_list("pk", "storage_name").iterator()


STORED_FILES = (
    FileOwner(label="statistics.microdata", rows=_microdata_rows, repair=microdata_missing_record),
)
