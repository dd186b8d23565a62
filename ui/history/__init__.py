"""ui.history: see ARCHITECTURE.md."""
