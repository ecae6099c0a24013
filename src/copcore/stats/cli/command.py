"""What every ``copstats`` subcommand shares: how it is called and its language option.

A subcommand module adds its parser with ``add_parser(subparsers)`` and sets a ``handler``
that takes a :class:`Command` and returns the exit status. The language of messages is
resolved once, by :func:`copcore.stats.cli.main`, from ``--lang``, then ``COPSTATS_LANG``,
then ``LANG`` of the environment it is given; handlers never read the environment.
"""

from __future__ import annotations

import argparse
import difflib
import re
from collections.abc import Callable, Sequence
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


REQUIRED = "the following arguments are required: "
NO_VALUE = re.compile(r"^argument ([^:/ ]+)(?:/\S+)?: expected (?:one|at least one) argument")


class Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors are translated too, and say
    what a statistician needs: which option, the closest known one, where the help is.

    argparse's own messages are English sentences; the cases it reports through exceptions we
    can see (an unknown option, a value not among the choices, a missing value or argument)
    become typed errors here, and anything else keeps argparse's text inside a translated
    sentence (``option_usage``)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        if message.startswith(REQUIRED):
            raise OptionError(
                "option_required", options=message[len(REQUIRED) :], help=f"{self.prog} --help"
            )
        no_value = NO_VALUE.match(message)
        if no_value:
            raise OptionError(
                "option_value_missing", option=no_value.group(1), help=f"{self.prog} --help"
            )
        raise OptionError("option_usage", problem=message, help=f"{self.prog} --help")

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is None or value in action.choices:
            return
        allowed = [str(choice) for choice in action.choices]
        if isinstance(action, argparse._SubParsersAction):
            near = difflib.get_close_matches(str(value), allowed, n=1)
            raise OptionError(
                "command_unknown",
                command=str(value),
                suggestion=near[0] if near else "",
                help=f"{self.prog} --help",
            )
        raise OptionError(
            "option_invalid",
            option=action.option_strings[-1] if action.option_strings else action.dest,
            value=str(value),
            allowed=", ".join(allowed),
        )

    def unknown_options(self, extras: Sequence[str]) -> None:
        """:class:`OptionError` for arguments this (sub)command does not know: the first
        unknown option with the closest known one, or the first stray value."""
        # Compared without the dashes every long option shares.
        known = {o.lstrip("-"): o for action in self._actions for o in action.option_strings}
        for extra in extras:
            if extra.startswith("-"):
                name = extra.split("=", 1)[0]
                near = difflib.get_close_matches(name.lstrip("-"), list(known), n=1, cutoff=0.6)
                raise OptionError(
                    "option_unknown" if near else "option_unknown_no_match",
                    option=name,
                    suggestion=known[near[0]] if near else "",
                    help=f"{self.prog} --help",
                )
        raise OptionError("argument_unexpected", value=extras[0], help=f"{self.prog} --help")


def subparser_of(parser: argparse.ArgumentParser, name: str | None) -> Parser | None:
    """The parser of subcommand ``name`` (None when there is none)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and name in action.choices:
            sub = action.choices[name]
            return sub if isinstance(sub, Parser) else None
    return None


def language_option(parser: argparse.ArgumentParser) -> None:
    """``--lang`` on a subcommand (it wins over the one before the subcommand's name)."""
    parser.add_argument("--lang", choices=LANGUAGES, dest="sub_lang", help="language of messages")


def option_required(option: str, value: object, allowed: str) -> None:
    """:class:`OptionError` ``option_invalid`` when a required option has no value."""
    if value is None:
        raise OptionError("option_invalid", option=option, value="", allowed=allowed)
