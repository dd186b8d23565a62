"""Cramp Tracker: start the window, or run a command-line subcommand without one.

Kept small and import-light: Qt and matplotlib are imported only when they are needed.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.cli.main import Command

INSTALL_DESKTOP_ENTRY = "--install-desktop-entry"
# Subcommands that need Qt: their modules live in ui/ and are added here (see ui_commands), so
# that tracker/ never names ui/. The core's own are tracker.cli.commands.NAMES.
UI_COMMANDS = ("report",)


def ui_commands() -> dict[str, Command]:
    """The subcommands of UI_COMMANDS, by name."""
    from ui.report import command as report

    return {"report": report}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from tracker.cli.commands import NAMES

    if argv and (argv[0] in NAMES or argv[0] in UI_COMMANDS):
        from tracker.cli import main as cli

        return cli.run(argv, ui_commands())
    if argv == [INSTALL_DESKTOP_ENTRY]:  # no window, so no Qt
        from ui.shell.desktop_entry import install

        return install()
    from ui.shell.app import run_gui

    return run_gui(argv)


if __name__ == "__main__":
    sys.exit(main())
