"""tests.ui.data: see ARCHITECTURE.md."""
