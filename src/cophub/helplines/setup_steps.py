"""Setup step of the helpline directory (``cophub setup``): the topic taxonomy in
``data/topics.json`` that entries are checked against."""

from django.utils.translation import gettext_lazy as _

from cophub.portal.setup_registry import SetupStep

from .services import topics_load

SETUP_STEPS = (
    SetupStep(
        key="topics",
        label=_("helpline topics"),
        run=topics_load,
        models=("helplines.Topic",),
    ),
)
