"""tests.tracker.charts: see ARCHITECTURE.md."""
