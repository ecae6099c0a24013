"""Setup step of national strategies (``cophub setup``): the bundled self-assessment
frameworks, the maturity scale and the crosswalk (after the reference data: items cite
Res. 67 clauses)."""

from django.utils.translation import gettext_lazy as _

from cophub.portal.setup_registry import SetupStep

from .framework_format import frameworks_load

SETUP_STEPS = (
    SetupStep(
        key="frameworks",
        label=_("frameworks"),
        run=frameworks_load,
        models=(
            "strategies.MaturityPhase",
            "strategies.Framework",
            "strategies.Section",
            "strategies.Item",
            "strategies.CrosswalkLink",
        ),
    ),
)
