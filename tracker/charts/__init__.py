"""tracker.charts.catalog: see ARCHITECTURE.md."""
