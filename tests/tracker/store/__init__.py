"""tests.tracker.store: see ARCHITECTURE.md."""
