"""Typed errors of the statistics engine.

Every error carries a stable ``code`` (the key of its message in ``messages/<lang>.json``) and
named ``params`` (the message's placeholders); the text is rendered, in the user's language,
only at the edge (:func:`copcore.stats.messages.message_render`). A test checks that every code
raised anywhere in the package has a message in the six languages with these placeholders.
"""

from __future__ import annotations

from collections.abc import Mapping

ParamValue = str | int | float


class StatsError(Exception):
    """Base class: a stable ``code`` and the named parameters of its message."""

    def __init__(self, code: str, **params: ParamValue) -> None:
        self.code = code
        self.params: Mapping[str, ParamValue] = dict(params)
        super().__init__(f"{code}: {self.params}")


class InputError(StatsError):
    """The data do not fit the request: a missing column, a bad value, no valid value."""


class DesignError(StatsError):
    """The sampling design is inconsistent: a PSU in two strata, a singleton stratum, bad FPC."""


class FileError(StatsError):
    """A file cannot be read or written, or its type is unknown."""


class OptionError(StatsError):
    """An option value is not one of the accepted ones."""


class FrameworkError(StatsError):
    """A framework or mapping file is unreadable or invalid (``key`` names the key path), or
    a lookup names an indicator, variable, population or breakdown the framework lacks."""


class LedgerError(StatsError):
    """The privacy ledger file is unreadable or inconsistent with the request."""


class PrivacyBudgetExceeded(StatsError):
    """A release would spend more ε than the dataset's budget allows; nothing was released."""
