"""tests.ui.episode: see ARCHITECTURE.md."""
