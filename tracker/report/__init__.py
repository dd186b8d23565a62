"""tracker.report: see ARCHITECTURE.md."""
