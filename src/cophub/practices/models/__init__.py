from .calls import Call
from .review import InternalNote, ReaderReport, ReviewerAssignment, Score
from .submissions import (
    Attachment,
    ReferenceCounter,
    ScreeningFinding,
    Submission,
    SubmissionEvent,
    SubmissionVersion,
)
from .workflow import Category, Criterion, ReviewState, ReviewTransition

__all__ = [
    "Attachment",
    "Call",
    "Category",
    "Criterion",
    "InternalNote",
    "ReaderReport",
    "ReferenceCounter",
    "ReviewState",
    "ReviewTransition",
    "ReviewerAssignment",
    "Score",
    "ScreeningFinding",
    "Submission",
    "SubmissionEvent",
    "SubmissionVersion",
]
