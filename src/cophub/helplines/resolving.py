"""From request parameters (strings, as pages, API and widget receive them) to a resolution.
Every bad value raises ``BadParameter`` naming the parameter."""

from dataclasses import astuple, dataclass
from datetime import UTC, datetime, timedelta

import phonenumbers
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from copcore.helplines.best import OneAnswer, helpline_one_answer
from copcore.helplines.model import Channel
from copcore.helplines.resolve import Query, Resolution, helpline_resolve
from cophub.reference.selectors import subdivision_country

from .errors import BadParameter
from .freshness import stale_after
from .selectors import (
    DIRECTORY_TTL,
    country_codes,
    directory_cache_cleared,
    helpline_directory,
    topic_parents,
)

RESOLUTION_CACHE_SIZE = 10_000


@dataclass(frozen=True)
class ResolveParameters:
    country: str | None = None
    phone: str | None = None
    subdivision: str | None = None
    age: str | None = None
    lang: str | None = None
    topic: str | None = None
    channels: str | None = None
    at: str | None = None


def _country(parameters: ResolveParameters) -> str:
    if parameters.country:
        code = parameters.country.strip().upper()
        if code not in country_codes():
            raise BadParameter("country", _("Unknown country code."))
        return code
    if parameters.phone:
        # The child's number serves only to find the country: it is not kept or logged.
        try:
            number = phonenumbers.parse(parameters.phone, None)
        except phonenumbers.NumberParseException as error:
            raise BadParameter("phone", _("The phone number is not valid.")) from error
        region = phonenumbers.region_code_for_number(number)
        if not region or not phonenumbers.is_possible_number(number):
            raise BadParameter("phone", _("The phone number is not valid."))
        return str(region)
    raise BadParameter("country", _("Give a country or a phone number."))


def _age(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        age = int(value)
    except ValueError as error:
        raise BadParameter("age", _("The age must be a whole number.")) from error
    if not 0 <= age <= 120:
        raise BadParameter("age", _("The age must be between 0 and 120."))
    return age


def _channels(value: str | None) -> frozenset[Channel] | None:
    if not value:
        return None
    try:
        return frozenset(Channel(item.strip()) for item in value.split(",") if item.strip())
    except ValueError as error:
        raise BadParameter("channels", _("Unknown channel.")) from error


def _at(value: str | None) -> datetime:
    if not value:
        return timezone.now()
    try:
        at = datetime.fromisoformat(value)
    except ValueError as error:
        raise BadParameter("at", _("The time must be an ISO 8601 instant.")) from error
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _valid_until(resolution: Resolution, now: datetime) -> datetime:
    """A resolution stays exact until the first contact in it opens or closes."""
    changes = [
        instant
        for result in (*resolution.results, *resolution.fallback)
        for instant in (result.opens_at, result.closes_at)
        if instant is not None
    ]
    return min([now + timedelta(seconds=DIRECTORY_TTL), *changes])


_resolutions: dict[tuple[object, ...], tuple[datetime, Resolution]] = {}


def _resolutions_clear(**_kwargs: object) -> None:
    _resolutions.clear()


directory_cache_cleared.connect(_resolutions_clear, dispatch_uid="helpline-resolutions")


def resolve_request(parameters: ResolveParameters) -> Resolution:
    """Resolve, reusing an earlier answer to the same question while it is still exact (no
    contact has opened or closed since, the directory has not changed, the day is the same).
    A request for an explicit ``at`` is always computed."""
    if parameters.at:
        return _resolve(parameters)
    now = timezone.now()
    key = (*astuple(parameters), timezone.localdate(now))
    hit = _resolutions.get(key)
    if hit is not None and now < hit[0]:
        return hit[1]
    resolution = _resolve(parameters)
    if len(_resolutions) > RESOLUTION_CACHE_SIZE:
        _resolutions.clear()
    _resolutions[key] = (_valid_until(resolution, now), resolution)
    return resolution


def one_answer_request(parameters: ResolveParameters) -> OneAnswer:
    """The one answer (``copcore.helplines.best``) to the same question as ``resolve_request``,
    from the same (cached) resolution and directory."""
    resolution = resolve_request(parameters)
    return helpline_one_answer(resolution, helpline_directory(country=resolution.country))


def flag_parameter(name: str, value: str | None) -> bool:
    """``1``/``true`` or ``0``/``false`` (empty: false)."""
    if value in (None, "", "0", "false"):
        return False
    if value in ("1", "true"):
        return True
    raise BadParameter(name, _("Give 1 or 0."))


def _resolve(parameters: ResolveParameters) -> Resolution:
    country = _country(parameters)
    subdivision = parameters.subdivision.strip().upper() if parameters.subdivision else None
    if subdivision and subdivision_country(subdivision) != country:
        raise BadParameter("subdivision", _("Unknown subdivision for this country."))
    parents = topic_parents()
    if parameters.topic and parameters.topic not in parents:
        raise BadParameter("topic", _("Unknown topic."))
    at = _at(parameters.at)
    query = Query(
        country=country,
        at=at,
        today=timezone.localdate(at) if settings.USE_TZ else at.date(),
        subdivision=subdivision,
        age=_age(parameters.age),
        language=parameters.lang or None,
        topic=parameters.topic or None,
        channels=_channels(parameters.channels),
        stale_after=stale_after(),
    )
    return helpline_resolve(helpline_directory(country=country), query, parents)
