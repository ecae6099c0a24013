"""Models of the national COP strategies module, by sub-topic."""

from .assessments import (
    Answer,
    Assessment,
    Assignment,
    Confidentiality,
    Consultation,
    CountryProfile,
    Evidence,
    Stakeholder,
)
from .frameworks import CrosswalkLink, Framework, Item, MaturityPhase, Section
from .plans import Action, ActionPlan, ActionUpdate, AssistanceNote, AssistanceRequest

__all__ = [
    "Action",
    "ActionPlan",
    "ActionUpdate",
    "Answer",
    "Assessment",
    "Assignment",
    "AssistanceNote",
    "AssistanceRequest",
    "Confidentiality",
    "Consultation",
    "CountryProfile",
    "CrosswalkLink",
    "Evidence",
    "Framework",
    "Item",
    "MaturityPhase",
    "Section",
    "Stakeholder",
]
