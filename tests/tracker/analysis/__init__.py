"""tests.tracker.analysis: see ARCHITECTURE.md."""
