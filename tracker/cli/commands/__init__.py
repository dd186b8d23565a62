"""One module per command-line subcommand (see tracker/cli/main.py).

NAMES lets main.py tell a subcommand from a GUI start without importing anything heavy;
modules() imports them. Subcommands that need Qt (``report``) live in ui/ and are added by
main.py, so the core never names the UI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.cli.main import Command

NAMES: tuple[str, ...] = ("demo", "export", "import", "backup", "restore")


def modules() -> dict[str, Command]:
    """name -> module with ``add_arguments(parser)`` and ``run(args) -> int``, in NAMES order."""
    # Imported here: each imports tracker.cli.main, which imports this package.
    from tracker.cli.commands import backup, demo, export, import_, restore

    return {"demo": demo, "export": export, "import": import_, "backup": backup, "restore": restore}
