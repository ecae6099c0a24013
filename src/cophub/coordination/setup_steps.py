"""Setup step of coordination (``cophub setup``): the deadline rule sets and the bodies in
``data/`` (after the reference data: regional offices belong to a region), and the summaries of
the records (decision 0041)."""

from django.utils.translation import gettext_lazy as _

from cophub.portal.setup_registry import SetupStep

from .bodies import bodies_load
from .reports.summaries import summaries_rebuild

SETUP_STEPS = (
    SetupStep(
        key="bodies",
        label=_("bodies"),
        run=bodies_load,
        models=("coordination.DeadlineRuleSet", "coordination.Body"),
    ),
    # The summaries the implementation view and the activity feed read (decision 0041), so
    # they hold the records of a database restored or upgraded before its first change.
    SetupStep(
        key="summaries",
        label=_("summaries of the records"),
        run=summaries_rebuild,
        models=("coordination.CollectedRecord", "coordination.ClauseRecord"),
    ),
)
