"""tests.ui.patterns: see ARCHITECTURE.md."""
