"""ui.data: see ARCHITECTURE.md."""
