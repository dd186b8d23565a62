"""tests.tracker.diary: see ARCHITECTURE.md."""
