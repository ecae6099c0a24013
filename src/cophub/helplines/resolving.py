"""From request parameters (strings, as pages, API and widget receive them) to a resolution.
Every bad value raises ``BadParameter`` naming the parameter."""

from dataclasses import dataclass, replace
from datetime import UTC, datetime

import phonenumbers
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from copcore.helplines.best import OneAnswer, helpline_one_answer
from copcore.helplines.model import Channel
from copcore.helplines.prepared import (
    ANSWER_BOUND,
    AnswerBound,
    PreparedDirectory,
    directory_prepare,
    prepared_hour,
    prepared_resolve,
)
from copcore.helplines.resolve import Query, Resolution
from cophub.reference.selectors import subdivision_country

from .errors import BadParameter
from .freshness import stale_after
from .selectors import (
    country_codes,
    directory_cache_cleared,
    helpline_directory,
    helpline_directory_versioned,
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


# The answer prepared for each country and hour (``copcore.helplines.prepared``), kept in this
# process under the country's directory version: built once per version and hour, shared by
# every request of the process (decision 0040: why per process and not in the shared cache).
_prepared: dict[str, tuple[str, PreparedDirectory]] = {}


@dataclass(frozen=True)
class Exactness:
    """How long an answer stays exact: until ``until`` (the next instant a contact of the
    country opens or closes, or the hour ends), and while ``prepared`` is still the country's
    prepared directory (no change to its entries since)."""

    prepared: PreparedDirectory
    until: datetime

    def holds(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return now < self.until and prepared_directory(self.prepared.country, now) is self.prepared


# Answers to the same question, kept while they are exact, on the same day.
_resolutions: dict[tuple[object, ...], tuple[Exactness, Resolution]] = {}


def _caches_clear(**_kwargs: object) -> None:
    _prepared.clear()
    _resolutions.clear()


directory_cache_cleared.connect(_caches_clear, dispatch_uid="helpline-resolutions")


def prepared_directory(country: str, at: datetime) -> PreparedDirectory:
    """``country``'s directory prepared for the hour of ``at``: kept for the current hour,
    built for another (an explicit ``at``) without being kept."""
    version, helplines = helpline_directory_versioned(country=country)
    start = prepared_hour(at)
    kept = _prepared.get(country)
    if kept is not None and kept[0] == version and kept[1].start == start:
        return kept[1]
    prepared = directory_prepare(helplines, country, start)
    if start == prepared_hour(timezone.now()):
        _prepared[country] = (version, prepared)
    return prepared


def resolve_request(
    parameters: ResolveParameters, *, bound: AnswerBound | None = ANSWER_BOUND
) -> Resolution:
    """Resolve, bounded to ``bound`` (``prepared.ANSWER_BOUND``: at most 10 helplines and 3
    contacts of each; None: every result), reusing an earlier answer to the same question
    while it is still exact. A request for an explicit ``at`` is always computed."""
    return resolve_request_exact(parameters, bound=bound)[0]


def resolve_request_exact(
    parameters: ResolveParameters, *, bound: AnswerBound | None = ANSWER_BOUND
) -> tuple[Resolution, Exactness | None]:
    """``resolve_request`` with how long its answer stays exact (None for an explicit ``at``:
    an answer about another instant is not kept)."""
    if parameters.phone and not parameters.country:
        # The number serves only to find the country: the kept question names the country,
        # so no child's number is held in this process (a bad number is refused here).
        parameters = replace(parameters, country=_country(parameters), phone=None)
    if parameters.at:
        return _resolve(parameters, bound)[1], None
    now = timezone.now()
    key = (parameters, bound, timezone.localdate(now))  # a frozen dataclass hashes by value
    hit = _resolutions.get(key)
    if hit is not None and hit[0].holds(now):
        return hit[1], hit[0]
    prepared, resolution = _resolve(parameters, bound)
    if len(_resolutions) > RESOLUTION_CACHE_SIZE:
        _resolutions.clear()
    exactness = Exactness(prepared, prepared.next_change(now))
    _resolutions[key] = (exactness, resolution)
    return resolution, exactness


def one_answer_request_exact(parameters: ResolveParameters) -> tuple[OneAnswer, Exactness | None]:
    """The one answer (``copcore.helplines.best``) to the same question as ``resolve_request``,
    from the full ranking (a partner may rank below the bound) and the same directory, with
    how long it stays exact (that of the full ranking)."""
    resolution, exactness = resolve_request_exact(parameters, bound=None)
    answer = helpline_one_answer(resolution, helpline_directory(country=resolution.country))
    return answer, exactness


def flag_parameter(name: str, value: str | None) -> bool:
    """``1``/``true`` or ``0``/``false`` (empty: false)."""
    if value in (None, "", "0", "false"):
        return False
    if value in ("1", "true"):
        return True
    raise BadParameter(name, _("Give 1 or 0."))


def _resolve(
    parameters: ResolveParameters, bound: AnswerBound | None
) -> tuple[PreparedDirectory, Resolution]:
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
    prepared = prepared_directory(country, at)
    return prepared, prepared_resolve(prepared, query, parents, bound)
