"""tests.tracker.advice: see ARCHITECTURE.md."""
