"""Short-number checks with ``phonenumbers`` (libphonenumber's data). Its data is pattern-based
and has gaps, so a failed check is a warning to look at, never a reason to reject a sourced
number."""

from dataclasses import dataclass

import phonenumbers
from phonenumbers import shortnumberinfo
from phonenumbers.shortnumberinfo import ShortNumberCost


@dataclass(frozen=True)
class Warning:
    code: str  # not_valid_for_region | not_free | cost_unknown


@dataclass(frozen=True)
class ShortNumberCheck:
    valid_for_region: bool
    expected_cost: str  # toll_free | standard_rate | premium_rate | unknown_cost
    emergency: bool
    library: str
    warnings: tuple[Warning, ...]


_COSTS = {
    ShortNumberCost.TOLL_FREE: "toll_free",
    ShortNumberCost.STANDARD_RATE: "standard_rate",
    ShortNumberCost.PREMIUM_RATE: "premium_rate",
    ShortNumberCost.UNKNOWN_COST: "unknown_cost",
}


def short_number_check(number: str, region: str) -> ShortNumberCheck:
    """What libphonenumber says of ``number`` (as dialled) in ``region``."""
    digits = "".join(c for c in number if c.isdigit())
    parsed = phonenumbers.parse(digits, region)
    valid = shortnumberinfo.is_valid_short_number_for_region(parsed, region)
    cost = _COSTS.get(shortnumberinfo.expected_cost_for_region(parsed, region), "unknown_cost")
    warnings = []
    if not valid:
        warnings.append(Warning("not_valid_for_region"))
    if cost in {"standard_rate", "premium_rate"}:
        warnings.append(Warning("not_free"))
    elif cost == "unknown_cost":
        warnings.append(Warning("cost_unknown"))
    return ShortNumberCheck(
        valid_for_region=valid,
        expected_cost=cost,
        emergency=shortnumberinfo.is_emergency_number(digits, region),
        library=f"phonenumbers {phonenumbers.__version__}",
        warnings=tuple(warnings),
    )
