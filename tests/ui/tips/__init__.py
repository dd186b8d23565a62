"""tests.ui.tips: see ARCHITECTURE.md."""
