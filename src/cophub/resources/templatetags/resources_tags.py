from django import template

from ..languages import language_direction as _direction
from ..languages import language_name as _name
from ..translation_status import STATUS_LABELS, CellStatus

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    return _name(code)


@register.filter
def language_direction(code: str) -> str:
    return _direction(code)


@register.filter
def status_label(status: str) -> str:
    return str(STATUS_LABELS[CellStatus(status)])
