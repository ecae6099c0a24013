"""Short-number checks of ``copcore.helplines.numbers`` with translated warnings."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from copcore.helplines.numbers import ShortNumberCheck, short_number_check


@dataclass(frozen=True)
class TranslatedWarning:
    code: str
    message: str


@dataclass(frozen=True)
class CheckedNumber:
    check: ShortNumberCheck
    library: str
    warnings: tuple[TranslatedWarning, ...]


def short_number_warnings(number: str, region: str) -> CheckedNumber:
    messages = {
        "not_valid_for_region": _(
            "The phonenumbers library does not know this short number in this country "
            "(its data has gaps: check with the regulator)."
        ),
        "not_free": _("The phonenumbers library expects a charge for this number."),
        "cost_unknown": _("The phonenumbers library does not know whether this number is free."),
    }
    check = short_number_check(number, region)
    return CheckedNumber(
        check=check,
        library=check.library,
        warnings=tuple(TranslatedWarning(w.code, messages[w.code]) for w in check.warnings),
    )
