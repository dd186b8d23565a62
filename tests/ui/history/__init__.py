"""tests.ui.history: see ARCHITECTURE.md."""
