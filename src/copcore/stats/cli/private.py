"""What the private releases of ``tabulate`` and ``estimate`` share: the ``--dp-*`` options,
the dataset's identity in the ledger, and the release itself (budget checked and ε recorded
under the ledger's lock, the ledger on disk before the release file is renamed into place)."""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from copcore.stats.cli.command import option_required
from copcore.stats.errors import FileError, OptionError
from copcore.stats.formats import format_parse, result_write
from copcore.stats.privacy import (
    Calibration,
    ledger_charge,
    ledger_lock,
    ledger_read,
    ledger_write,
)
from copcore.stats.tidy import TidyTable


def dp_options(parser: argparse.ArgumentParser) -> None:
    """The ``--dp-*`` options of a private release."""
    parser.add_argument("--dp-epsilon", type=float, help="release under ε-differential privacy")
    parser.add_argument("--dp-weight-cap", type=float, help="weights are capped at this value")
    parser.add_argument("--dp-ledger", type=Path, help="privacy ledger file (JSON)")
    parser.add_argument("--dp-budget", type=float, help="ε budget of a dataset new to the ledger")
    parser.add_argument("--dp-dataset", help="dataset id in the ledger (default: SHA-256 of DATA)")
    parser.add_argument("--dp-description", help="note recorded with the release")


def dp_requested(args: argparse.Namespace) -> bool:
    """Whether any ``--dp-*`` option was given (then the release is private or refused)."""
    return any(value is not None for name, value in vars(args).items() if name.startswith("dp_"))


def dp_check(args: argparse.Namespace, *, weight_cap: bool) -> None:
    """Options every private release needs; ``--dp-weight-cap`` when ``weight_cap``."""
    option_required("--dp-epsilon", args.dp_epsilon, "a value")
    if weight_cap:
        option_required("--dp-weight-cap", args.dp_weight_cap, "a value")
    option_required("--dp-ledger", args.dp_ledger, "a value")
    if args.disclosure != "none":
        raise OptionError(
            "option_invalid",
            option="--disclosure",
            value=args.disclosure,
            allowed="none (with --dp-*)",
        )
    option_required("--out", args.out, "FILE (with --dp-*)")


def dataset_id(path: Path) -> str:
    """A dataset's identity for the privacy ledger: SHA-256 of the file's bytes."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        raise FileError("file_unreadable", path=str(path), reason=str(error)) from error
    return f"sha256:{digest.hexdigest()}"


def private_release(
    args: argparse.Namespace,
    release: Callable[[], tuple[TidyTable, Calibration]],
    description: str,
) -> None:
    """Compute ``release()`` and write it to ``--out``, its ε charged to the dataset in
    ``--dp-ledger``; a release past the budget raises and leaves the ledger as it was."""
    dataset = args.dp_dataset or dataset_id(args.data)
    with ledger_lock(args.dp_ledger):
        ledger = ledger_read(args.dp_ledger)
        table, calibration = release()
        charged = ledger_charge(
            ledger,
            dataset=dataset,
            calibration=calibration,
            budget=args.dp_budget,
            now=datetime.now(UTC),
            description=args.dp_description or description,
        )
        # ε is never spent unrecorded: the ledger is on disk before the release is in place.
        result_write(
            table,
            args.out,
            format_parse(args.fmt),
            before_rename=lambda: ledger_write(charged, args.dp_ledger),
        )
