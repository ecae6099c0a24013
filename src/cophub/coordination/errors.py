"""Errors of the coordination module, each with a stable code (see ``cophub.portal.errors``)."""

from cophub.portal.errors import InvalidState


class WrongState(InvalidState):
    """The object is not in a state that allows this (a closed meeting, a sent statement…)."""
