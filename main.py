"""Cramp Tracker: start the window, or run a command-line subcommand without one.

Kept small and import-light: Qt and matplotlib are imported only when they are needed.
"""

from __future__ import annotations

import sys

INSTALL_DESKTOP_ENTRY = "--install-desktop-entry"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from tracker.cli.commands import COMMANDS

    if argv and argv[0] in COMMANDS:
        from tracker.cli import main as cli

        return cli.run(argv)
    if argv == [INSTALL_DESKTOP_ENTRY]:  # no window, so no Qt
        from ui.shell.desktop_entry import install

        return install()
    from ui.shell.app import run_gui

    return run_gui(argv)


if __name__ == "__main__":
    sys.exit(main())
