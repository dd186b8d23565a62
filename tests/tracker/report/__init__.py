"""tests.tracker.report: see ARCHITECTURE.md."""
