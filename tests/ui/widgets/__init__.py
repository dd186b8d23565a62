"""tests.ui.widgets: see ARCHITECTURE.md."""
