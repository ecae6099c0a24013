"""Setup step of reference data (``cophub setup``): countries, regions, groupings, languages,
Res. 67 clauses and their sources. Every other step depends on it, and reference is the first
app after portal."""

from django.utils.translation import gettext_lazy as _

from cophub.portal.setup_registry import SetupStep

from .services import reference_load

SETUP_STEPS = (
    SetupStep(
        key="reference",
        label=_("reference data"),
        run=reference_load,
        models=(
            "reference.DataSource",
            "reference.Region",
            "reference.Country",
            "reference.Grouping",
            "reference.Language",
            "reference.Clause",
        ),
    ),
)
