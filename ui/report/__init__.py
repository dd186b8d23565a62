"""ui.report: see ARCHITECTURE.md."""
