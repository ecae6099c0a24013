"""A dataset's history: who did what to it, and the status it was left in. Every write of the
module records its event here; this module imports no other of them, so each may use it."""

from cophub.accounts.models import User

from .models import Dataset, DatasetEvent


def event_record(
    *, dataset: Dataset, action: str, actor: User | None, comment: str = ""
) -> DatasetEvent:
    return DatasetEvent.objects.create(
        dataset=dataset, action=action, actor=actor, comment=comment, status_after=dataset.status
    )
