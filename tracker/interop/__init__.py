"""tracker.interop: see ARCHITECTURE.md."""
