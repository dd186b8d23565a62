"""One module per command-line subcommand (see tracker/cli.py).

Only the names live here, so that main.py can tell a subcommand from a GUI start without
importing anything heavy.
"""

# name -> module with ``add_arguments(parser)`` and ``run(args) -> int``
COMMANDS: dict[str, str] = {
    "demo": "tracker.commands.demo",
    "export": "tracker.commands.export",
    "import": "tracker.commands.import_",
    "backup": "tracker.commands.backup",
    "restore": "tracker.commands.restore",
    "report": "ui.report_command",
}
