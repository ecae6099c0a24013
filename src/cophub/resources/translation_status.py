"""The status of one item in one language, as the translation matrix shows it. Pure: computed
from what is stored (the translation's state and the fingerprint of the source it was made
from) against the current source fingerprint."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class CellStatus(StrEnum):
    SOURCE = "source"
    MISSING = "missing"
    MACHINE_DRAFT = "machine_draft"
    HUMAN_DRAFT = "human_draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    OUTDATED = "outdated"


STATUS_LABELS: dict[CellStatus, str | Promise] = {
    CellStatus.SOURCE: _("Source"),
    CellStatus.MISSING: _("Missing"),
    CellStatus.MACHINE_DRAFT: _("Machine draft"),
    CellStatus.HUMAN_DRAFT: _("Human draft"),
    CellStatus.IN_REVIEW: _("In review"),
    CellStatus.APPROVED: _("Approved"),
    CellStatus.OUTDATED: _("Outdated"),
}


@dataclass(frozen=True)
class Cell:
    language: str
    status: CellStatus
    state: str | None  # the stored state under an outdated status (e.g. "approved")
    made_from_version: int | None
    updated_at: datetime | None

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


def cell_status(
    *,
    language: str,
    source_language: str,
    state: str | None,
    made_from_hash: str | None,
    source_hash: str,
) -> CellStatus:
    """``OUTDATED`` whenever a translation exists that was made from another source than the
    current one, whatever its state: an approved translation of an old text is outdated.

    >>> cell_status(language="fr", source_language="en", state="approved",
    ...             made_from_hash="a", source_hash="b")
    <CellStatus.OUTDATED: 'outdated'>
    >>> cell_status(language="fr", source_language="en", state=None,
    ...             made_from_hash=None, source_hash="b")
    <CellStatus.MISSING: 'missing'>
    """
    if language == source_language:
        return CellStatus.SOURCE
    if state is None:
        return CellStatus.MISSING
    if made_from_hash != source_hash:
        return CellStatus.OUTDATED
    return CellStatus(state)
