"""Command-line subcommands (for scripting and testing; the GUI stays the main way in).

Each subcommand lives in its own module, listed in tracker/cli/commands; main.py adds those that
need Qt (``report``, in ui/) through ``run(argv, extra)``. Errors a person can fix are printed
to stderr as one clear line with a non-zero exit, never as a traceback.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Mapping
from typing import Protocol

from tracker.cli.commands import modules
from tracker.diary.episode import ValidationError
from tracker.store import StoreError, describe_sqlite_error


class CommandError(Exception):
    """A user's mistake on the command line; the message says what to do."""


class Command(Protocol):
    """A subcommand module; the first line of its docstring is its help."""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


def build_parser(extra: Mapping[str, Command] | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand in tracker/cli/commands, then of those in ``extra``."""
    parser = argparse.ArgumentParser(prog="cramp-tracker", description="Cramp Tracker")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name, command in {**modules(), **(extra or {})}.items():
        sub = subparsers.add_parser(name, help=(command.__doc__ or "").strip().split("\n")[0])
        command.add_arguments(sub)
        sub.set_defaults(_command=command)
    return parser


def run(argv: list[str], extra: Mapping[str, Command] | None = None) -> int:
    """Run the subcommand ``argv`` names; ``extra``: subcommands from outside the core."""
    args = build_parser(extra).parse_args(argv)
    command: Command = args._command
    try:
        return command.run(args)
    except (StoreError, CommandError, ValidationError, OSError) as exc:
        message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        if isinstance(exc, OSError) and exc.filename:
            message = f"{exc.filename}: {message}"
        print(f"cramp-tracker {args.command}: {message}", file=sys.stderr)
        return 2
    except sqlite3.Error as exc:  # a read or write that failed after the file was opened
        print(
            f"cramp-tracker {args.command}: the database could not be used: "
            f"{describe_sqlite_error(exc)}.",
            file=sys.stderr,
        )
        return 2
