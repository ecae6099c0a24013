"""What every ``copstats`` subcommand shares: how it is called and its language option.

A subcommand module adds its parser with ``add_parser(subparsers)`` and sets a ``handler``
that takes a :class:`Command` and returns the exit status. The language of messages is
resolved once, by :func:`copcore.stats.cli.main`, from ``--lang``, then ``COPSTATS_LANG``,
then ``LANG`` of the environment it is given; handlers never read the environment.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from copcore.stats.errors import OptionError
from copcore.stats.messages import LANGUAGES

EXIT_ERROR = 2
EXIT_INVALID = 1
if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[Any]
else:  # argparse's class is generic only to type checkers
    Subparsers = argparse._SubParsersAction


@dataclass(frozen=True)
class Command:
    """A subcommand's call: its parsed arguments, the language of its messages and where its
    standard output goes."""

    args: argparse.Namespace
    lang: str
    stdout: Callable[[str], object]


Handler = Callable[[Command], int]


class Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors are translated too."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise OptionError("option_invalid", option="arguments", value=message, allowed="--help")


def language_option(parser: argparse.ArgumentParser) -> None:
    """``--lang`` on a subcommand (it wins over the one before the subcommand's name)."""
    parser.add_argument("--lang", choices=LANGUAGES, dest="sub_lang", help="language of messages")


def option_required(option: str, value: object, allowed: str) -> None:
    """:class:`OptionError` ``option_invalid`` when a required option has no value."""
    if value is None:
        raise OptionError("option_invalid", option=option, value="", allowed=allowed)
