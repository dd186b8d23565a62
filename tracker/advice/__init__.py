"""tracker.advice: see ARCHITECTURE.md."""
