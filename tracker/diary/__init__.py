"""tracker.diary: see ARCHITECTURE.md."""
