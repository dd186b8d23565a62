"""tests.tracker.interop: see ARCHITECTURE.md."""
