"""Setup step of the statistics platform (``cophub setup``): the reasons for contact of child
helplines and their crosswalk to the helpline topics (``data/contact_reason*.json``)."""

from django.utils.translation import gettext_lazy as _

from cophub.portal.setup_registry import SetupStep

from .reasons import reasons_load

SETUP_STEPS = (
    SetupStep(
        key="contact_reasons",
        label=_("reasons for contact"),
        run=reasons_load,
        models=("statistics.ContactReason", "statistics.ContactReasonVersion"),
    ),
)
