"""Writes for accounts: organisations, role assignments, API tokens and demo accounts."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.portal.errors import ActionForbidden, InvalidInput
from cophub.reference.models import Country, Region

from .models import ApiToken, Organisation, Role, RoleAssignment, User

TOKEN_PREFIX = "cph"  # noqa: S105 - a public marker, not a secret
# A token's last use is written at most this often: an authenticated read then costs no write
# (on SQLite every write waits for the one writer; see docs/decisions/0019-*).
TOKEN_LAST_USED_PRECISION = timedelta(minutes=5)


def role_assignment_validate(assignment: RoleAssignment) -> None:
    """A role carries exactly the scope it needs and no other (``RoleAssignment.clean``)."""
    assignment.clean()


@transaction.atomic
def role_assign(
    *,
    user: User,
    role: Role,
    region: Region | None = None,
    country: Country | None = None,
    organisation: Organisation | None = None,
    language: str = "",
) -> RoleAssignment:
    scope = {"region": region, "country": country, "organisation": organisation}
    assignment = RoleAssignment(user=user, role=role, language=language, **scope)
    role_assignment_validate(assignment)
    existing = RoleAssignment.objects.filter(user=user, role=role, language=language, **scope)
    if existing_assignment := existing.first():
        return existing_assignment
    assignment.save()
    return assignment


@transaction.atomic
def organisation_update(*, organisation: Organisation, changes: dict[str, Any]) -> Organisation:
    """Apply ``changes`` (already permission-checked) after full validation; all or nothing."""
    for field, value in changes.items():
        setattr(organisation, field, value)
    try:
        organisation.full_clean()
    except ValidationError as error:
        raise InvalidInput(
            details={
                "errors": [
                    {"field": f, "message": m} for f, ms in error.message_dict.items() for m in ms
                ]
            }
        ) from error
    organisation.save()
    return organisation


def _token_hash(secret: str) -> str:
    # Tokens carry 256 bits of randomness, so a plain SHA-256 is enough: no slow hash needed.
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plaintext: str


@transaction.atomic
def api_token_create(*, user: User, name: str) -> IssuedToken:
    """Issue a token; the plaintext is returned once and never stored."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    plaintext = f"{TOKEN_PREFIX}_{prefix}_{secret}"
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, key_hash=_token_hash(plaintext)
    )
    return IssuedToken(token=token, plaintext=plaintext)


def api_token_authenticate(plaintext: str) -> User | None:
    """The active user behind a bearer token, or None."""
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if token is None or not secrets.compare_digest(token.key_hash, _token_hash(plaintext)):
        return None
    if not token.user.is_active:
        return None
    api_token_used(token)
    return token.user


def api_token_used(token: ApiToken) -> bool:
    """Record that ``token`` was used now, unless that was already recorded within
    ``TOKEN_LAST_USED_PRECISION``; whether it wrote. The update is conditional, so concurrent
    requests write it once."""
    now = timezone.now()
    stale_before = now - TOKEN_LAST_USED_PRECISION
    if token.last_used_at is not None and token.last_used_at >= stale_before:
        return False
    return bool(
        ApiToken.objects.filter(pk=token.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale_before))
        .update(last_used_at=now)
    )


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> None:
    updated = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        from cophub.portal.errors import ObjectNotFound

        raise ObjectNotFound()


DEMO_PASSWORD = "cophub-demo"  # noqa: S105 - documented demo password, demo mode only


@dataclass(frozen=True)
class DemoOrganisation:
    code: str
    name: str
    kind: str
    country: str | None = None
    region: str | None = None


DEMO_ORGANISATIONS = {
    o.code: o
    for o in (
        DemoOrganisation(
            "itu-telecommunication-development-bureau",
            "ITU Telecommunication Development Bureau",
            "itu_bdt",
        ),
        DemoOrganisation(
            "itu-regional-office-for-africa",
            "ITU Regional Office for Africa",
            "itu_regional_office",
            country="ET",
            region="AFR",
        ),
        DemoOrganisation(
            "communications-authority-of-kenya",
            "Communications Authority of Kenya",
            "member_state",
            country="KE",
        ),
        DemoOrganisation(
            "agencia-nacional-de-telecomunicacoes-anatel",
            "Agência Nacional de Telecomunicações (Anatel)",
            "member_state",
            country="BR",
        ),
        DemoOrganisation("childline-kenya", "Childline Kenya", "child_helpline", country="KE"),
        DemoOrganisation("example-mobile-operator", "Example Mobile Operator", "sector_member"),
        DemoOrganisation(
            "nepal-telecommunications-authority",
            "Nepal Telecommunications Authority",
            "member_state",
            country="NP",
        ),
        DemoOrganisation("example-university", "Example University", "academia"),
    )
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    organisation: str  # a code of DEMO_ORGANISATIONS
    role: Role
    country: str | None = None  # the focal point's country
    region: str | None = None  # the regional officer's region
    language: str = ""
    scope_is_organisation: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("bdt-staff", "itu-telecommunication-development-bureau", Role.BDT_STAFF),
    DemoAccount("ro-africa", "itu-regional-office-for-africa", Role.REGIONAL_OFFICER, region="AFR"),
    DemoAccount("focal-ke", "communications-authority-of-kenya", Role.FOCAL_POINT, country="KE"),
    DemoAccount(
        "focal-br", "agencia-nacional-de-telecomunicacoes-anatel", Role.FOCAL_POINT, country="BR"
    ),
    DemoAccount("helpline-ke", "childline-kenya", Role.HELPLINE_EDITOR, scope_is_organisation=True),
    DemoAccount(
        "sector-member",
        "example-mobile-operator",
        Role.SECTOR_MEMBER_CONTACT,
        scope_is_organisation=True,
    ),
    DemoAccount("focal-np", "nepal-telecommunications-authority", Role.FOCAL_POINT, country="NP"),
    DemoAccount("cwg-expert", "example-university", Role.CWG_EXPERT),
    DemoAccount(
        "translator-ar",
        "itu-telecommunication-development-bureau",
        Role.TRANSLATOR,
        language="ar",
    ),
)
# The further demo accounts that the practices' demo data creates (same password).
DEMO_EXTRA_USERNAMES = (
    "reviewer",
    "translator-fr",
    "translator-es",
    "translator-zh-hans",
    "translator-ru",
)
# Reserved: outside demo mode these names cannot sign in, and an active account with one of them
# fails the system checks (see ``checks.py``). A test holds every account the demo creates here.
DEMO_USERNAMES = frozenset(
    [account.username for account in DEMO_ACCOUNTS] + list(DEMO_EXTRA_USERNAMES)
)


def demo_organisation_ensure(code: str) -> Organisation:
    """The demo organisation with this code (see ``DEMO_ORGANISATIONS``), created if missing.
    Looked up by code, never by name: a renamed demo organisation is still the same one."""
    demo = DEMO_ORGANISATIONS[code]
    organisation, _created = Organisation.objects.get_or_create(
        code=demo.code,
        defaults={
            "name": demo.name,
            "kind": demo.kind,
            "country": Country.objects.get(iso2=demo.country) if demo.country else None,
            "region": Region.objects.get(code=demo.region) if demo.region else None,
        },
    )
    return organisation


@transaction.atomic
def demo_accounts_create() -> list[User]:
    """One account per role, password ``cophub-demo``. Refused outside demo deployments."""
    if not settings.COPHUB_DEMO:
        raise ActionForbidden(_("Demo accounts can only be created in demo mode."))
    users = []
    for account in DEMO_ACCOUNTS:
        organisation = demo_organisation_ensure(account.organisation)
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={"organisation": organisation, "email": f"{account.username}@example.org"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        role_assign(
            user=user,
            role=account.role,
            region=Region.objects.get(code=account.region) if account.region else None,
            country=Country.objects.get(iso2=account.country) if account.country else None,
            organisation=organisation if account.scope_is_organisation else None,
            language=account.language,
        )
        users.append(user)
    return users
