"""One module per command-line subcommand (see tracker/cli/main.py).

Only the names live here, so that main.py can tell a subcommand from a GUI start without
importing anything heavy.
"""

# name -> module with ``add_arguments(parser)`` and ``run(args) -> int``
COMMANDS: dict[str, str] = {
    "demo": "tracker.cli.commands.demo",
    "export": "tracker.cli.commands.export",
    "import": "tracker.cli.commands.import_",
    "backup": "tracker.cli.commands.backup",
    "restore": "tracker.cli.commands.restore",
    "report": "ui.report.command",
}
