"""tracker.cli.main: see ARCHITECTURE.md."""
