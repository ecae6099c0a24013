from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cophub.portal.api_auth import AUTHENTICATED, api_user
from cophub.portal.paging import keyset_paginate

from . import access, selectors, services
from .models import Organisation

router = Router(tags=["accounts"], auth=AUTHENTICATED)


class RoleOut(Schema):
    role: str
    region: str | None
    country: str | None
    organisation: int | None
    language: str


class OrganisationOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    country: str | None
    region: str | None
    website: str


class MeOut(Schema):
    username: str
    organisation: OrganisationOut | None
    roles: list[RoleOut]


class OrganisationPatch(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    website: str | None = Field(default=None, max_length=200)


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    token: str


def _organisation_out(organisation: Organisation) -> OrganisationOut:
    return OrganisationOut(
        id=organisation.pk,
        code=organisation.code,
        name=organisation.name,
        kind=organisation.kind,
        country=organisation.country_id,
        region=organisation.region_id,
        website=organisation.website,
    )


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    user = api_user(request)
    return MeOut(
        username=user.username,
        organisation=_organisation_out(user.organisation) if user.organisation else None,
        roles=[
            RoleOut(
                role=a.role,
                region=a.region_id,
                country=a.country_id,
                organisation=a.organisation_id,
                language=a.language,
            )
            for a in selectors.user_role_assignments(user=user)
        ],
    )


@router.get("/organisations", response=list[OrganisationOut])
@keyset_paginate(ordering=("name",), row=_organisation_out)
def organisations(request: HttpRequest) -> QuerySet[Organisation]:
    """Organisations you may see, by name."""
    return access.organisations_visible_to(api_user(request))


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def organisation(request: HttpRequest, organisation_id: int) -> OrganisationOut:
    return _organisation_out(access.access_organisation(api_user(request), organisation_id))


@router.patch("/organisations/{organisation_id}", response=OrganisationOut)
def organisation_patch(
    request: HttpRequest, organisation_id: int, payload: OrganisationPatch
) -> OrganisationOut:
    target = access.access_organisation_for_update(api_user(request), organisation_id)
    updated = services.organisation_update(
        organisation=target, changes=payload.model_dump(exclude_none=True)
    )
    return _organisation_out(updated)


@router.post("/tokens", response={201: TokenOut})
def token_create(request: HttpRequest, payload: TokenIn) -> Status[TokenOut]:
    issued = services.api_token_create(user=api_user(request), name=payload.name)
    token = issued.token
    out = TokenOut(id=token.pk, name=token.name, prefix=token.prefix, token=issued.plaintext)
    return Status(201, out)


@router.delete("/tokens/{token_id}", response={204: None})
def token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    services.api_token_revoke(user=api_user(request), token_id=token_id)
    return Status(204, None)
