"""tests.ui.shell: see ARCHITECTURE.md."""
