"""ui.tips: see ARCHITECTURE.md."""
