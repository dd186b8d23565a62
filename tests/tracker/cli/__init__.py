"""tests.tracker.cli: see ARCHITECTURE.md."""
