"""tests.ui.report: see ARCHITECTURE.md."""
