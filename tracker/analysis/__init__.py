"""tracker.analysis: see ARCHITECTURE.md."""
