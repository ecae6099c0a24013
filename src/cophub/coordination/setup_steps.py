"""Setup step of coordination (``cophub setup``): the deadline rule sets and the bodies in
``data/`` (after the reference data: regional offices belong to a region)."""

from django.utils.translation import gettext_lazy as _

from cophub.portal.setup_registry import SetupStep

from .bodies import bodies_load

SETUP_STEPS = (
    SetupStep(
        key="bodies",
        label=_("bodies"),
        run=bodies_load,
        models=("coordination.DeadlineRuleSet", "coordination.Body"),
    ),
)
