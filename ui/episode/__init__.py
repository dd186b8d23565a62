"""ui.episode: see ARCHITECTURE.md."""
