"""ui.patterns: see ARCHITECTURE.md."""
