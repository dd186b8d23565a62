"""ui.widgets: see ARCHITECTURE.md."""
