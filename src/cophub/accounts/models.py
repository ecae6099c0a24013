"""Users, the organisations they belong to, their scoped roles, and API tokens."""

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.reference.models import Country, Region


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MEMBER_STATE = "member_state", _("Member State administration")
        SECTOR_MEMBER = "sector_member", _("Sector Member")
        ACADEMIA = "academia", _("Academia")
        NGO = "ngo", _("Non-governmental organisation")
        CHILD_HELPLINE = "child_helpline", _("Child helpline")
        ITU_BDT = "itu_bdt", _("ITU Telecommunication Development Bureau")
        ITU_REGIONAL_OFFICE = "itu_regional_office", _("ITU regional office")

    name = models.CharField(max_length=200, verbose_name=_("name"))
    # What files and other systems name the organisation by (a helpline's ``owner`` in the
    # directory format): given once, when the organisation is created, and never derived again
    # from the name, so renaming an organisation changes nothing it owns or may do.
    code = models.SlugField(
        max_length=80,
        unique=True,
        blank=True,
        verbose_name=_("code"),
        help_text=_(
            "Stable identifier used in import files. Made from the name when the organisation "
            "is created if left empty; renaming the organisation does not change it."
        ),
    )
    kind = models.CharField(max_length=30, choices=Kind, verbose_name=_("kind"))
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("country"),
    )
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("ITU-D region"),
    )
    website = models.URLField(blank=True, verbose_name=_("website"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.code:
            self.code = organisation_code_free(self.name)
        super().save(*args, **kwargs)


def organisation_code_free(name: str) -> str:
    """A code made from ``name`` that no organisation uses yet: ``childline-kenya``, or
    ``childline-kenya-2`` when that is taken (``organisation`` for names without Latin letters)."""
    base = slugify(name)[:70].strip("-") or "organisation"
    code, number = base, 1
    while Organisation.objects.filter(code=code).exists():
        number += 1
        code = f"{base}-{number}"
    return code


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class Role(models.TextChoices):
    """Each role has one scope: global, a region, a country, an organisation or a language."""

    BDT_STAFF = "bdt_staff", _("BDT staff")
    REGIONAL_OFFICER = "regional_officer", _("Regional officer")
    FOCAL_POINT = "focal_point", _("Member State focal point")
    HELPLINE_EDITOR = "helpline_editor", _("Helpline editor")
    SECTOR_MEMBER_CONTACT = "sector_member_contact", _("Sector Member contact")
    CWG_EXPERT = "cwg_expert", _("CWG-COP expert")
    REVIEWER = "reviewer", _("Reviewer")
    TRANSLATOR = "translator", _("Translator")


# Which scope field each role requires; every other scope field must stay empty.
ROLE_SCOPES: dict[str, str | None] = {
    Role.BDT_STAFF: None,
    Role.REGIONAL_OFFICER: "region",
    Role.FOCAL_POINT: "country",
    Role.HELPLINE_EDITOR: "organisation",
    Role.SECTOR_MEMBER_CONTACT: "organisation",
    Role.CWG_EXPERT: None,
    Role.REVIEWER: None,
    Role.TRANSLATOR: "language",
}
SCOPE_FIELDS = ("region", "country", "organisation", "language")


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(max_length=30, choices=Role, verbose_name=_("role"))
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("ITU-D region")
    )
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("country")
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("organisation"),
    )
    language = models.CharField(
        max_length=8,
        blank=True,
        choices=[(code, code) for code in UI_LANGUAGE_CODES],
        verbose_name=_("language"),
    )
    granted_at = models.DateTimeField(auto_now_add=True, verbose_name=_("granted at"))

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "country", "organisation", "language"],
                name="unique_role_assignment",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        scope = self.scope
        return f"{self.get_role_display()} ({scope})" if scope else str(self.get_role_display())

    @property
    def scope(self) -> str:
        field = ROLE_SCOPES.get(self.role)
        return str(getattr(self, field) or "") if field else ""

    def clean(self) -> None:
        """A role carries exactly the scope it needs (e.g. a focal point a country) and no
        other."""
        required = ROLE_SCOPES[self.role]
        errors = {}
        for field in SCOPE_FIELDS:
            value = getattr(self, f"{field}_id" if field != "language" else field)
            if field == required and not value:
                errors[field] = _("This role needs this field.")
            elif field != required and value:
                errors[field] = _("This role does not use this field.")
        if errors:
            raise ValidationError(errors)


class ApiToken(models.Model):
    """A bearer token for machine clients. Only a SHA-256 hash of the secret is stored."""

    # Not "api_tokens": Wagtail's own APIToken model (wagtailcore) takes that name on the user.
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="cophub_api_tokens", verbose_name=_("user")
    )
    name = models.CharField(max_length=100, verbose_name=_("name"))
    prefix = models.CharField(max_length=12, unique=True, verbose_name=_("prefix"))
    key_hash = models.CharField(max_length=64, verbose_name=_("key hash"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    last_used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last used at"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
