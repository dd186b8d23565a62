"""Command-line subcommands (for scripting and testing; the GUI stays the main way in).

Each subcommand lives in its own module and registers here. Errors a person can fix are printed
to stderr as one clear line with a non-zero exit, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sqlite3
import sys

from tracker.cli.commands import COMMANDS
from tracker.diary.episode import ValidationError
from tracker.store import StoreError, describe_sqlite_error


class CommandError(Exception):
    """A user's mistake on the command line; the message says what to do."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cramp-tracker", description="Cramp Tracker")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(module_name)
        sub = subparsers.add_parser(name, help=module.__doc__.strip().splitlines()[0])
        module.add_arguments(sub)
        sub.set_defaults(_module=module)
    return parser


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args._module.run(args)
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
