"""ui.shell: see ARCHITECTURE.md."""
