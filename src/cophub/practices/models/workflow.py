"""The review workflow, categories and scoring rubric, kept as data (``data/workflow.json``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cophub.reference.models import NamedInLanguages


class ReviewState(NamedInLanguages):
    code = models.SlugField(max_length=30, primary_key=True, verbose_name=_("code"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    author_can_edit = models.BooleanField(default=False, verbose_name=_("author can edit"))
    is_final = models.BooleanField(default=False, verbose_name=_("final"))
    is_decision = models.BooleanField(
        default=False,
        verbose_name=_("decision"),
        help_text=_("Reaching this state needs an answer published to the author."),
    )
    publishable = models.BooleanField(default=False, verbose_name=_("may be published"))
    visible_to_reviewers = models.BooleanField(default=False, verbose_name=_("seen by reviewers"))

    class Meta:
        verbose_name = _("review state")
        verbose_name_plural = _("review states")
        ordering = ["position"]


class ReviewTransition(models.Model):
    class Actor(models.TextChoices):
        AUTHOR = "author", _("Author")
        STAFF = "staff", _("BDT staff")

    source = models.ForeignKey(
        ReviewState, on_delete=models.CASCADE, related_name="+", verbose_name=_("from")
    )
    target = models.ForeignKey(
        ReviewState, on_delete=models.CASCADE, related_name="+", verbose_name=_("to")
    )
    actor = models.CharField(max_length=10, choices=Actor, verbose_name=_("by"))

    class Meta:
        verbose_name = _("review transition")
        verbose_name_plural = _("review transitions")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "actor"], name="unique_review_transition"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id} ({self.actor})"


class Category(NamedInLanguages):
    """Technical solution (SM-2), self-regulation / code of conduct (MS-5), ..."""

    code = models.SlugField(max_length=40, primary_key=True, verbose_name=_("code"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    clauses = models.JSONField(
        default=list,
        blank=True,
        verbose_name=_("clauses"),
        help_text=_("Resolution 67 clauses every submission of this category is tagged with."),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position"]


class Criterion(NamedInLanguages):
    """A criterion of the scoring rubric, scored from 0 to ``max_score``."""

    code = models.SlugField(max_length=40, primary_key=True, verbose_name=_("code"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    max_score = models.PositiveSmallIntegerField(default=4, verbose_name=_("highest score"))

    class Meta:
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        ordering = ["position"]
