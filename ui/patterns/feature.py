"""Plugs the Patterns page into the main window (installed by its finish_setup())."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from ui.patterns.page import PatternsPage

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow


def tips_html(key: str) -> str:
    """The tips that fit a finding, as escaped rich text (empty if there are none)."""
    from tracker.advice import knowledge, tips

    found = tips.tips_for_insight(knowledge.default(), key)
    items = "".join(
        f"<li><b>{html.escape(t.title)}</b><br>{html.escape(t.text)}</li>" for t in found[:4]
    )
    return f"<ul>{items}</ul>" if items else ""


def show_tips(window: MainWindow, key: str) -> None:
    text = tips_html(key)
    if not text:
        window.show_status("No tips match this finding yet.")
        return
    box = QMessageBox(window)
    box.setWindowTitle("Tips for this finding")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(
        text + "<p>These are general tips from the sources on the Tips page, not a diagnosis.</p>"
    )
    box.open()


def install(window: MainWindow) -> PatternsPage:
    """Add the page as a tab and keep it in step with the episodes and the open file; the
    window keeps it as ``patterns_page``."""
    page = PatternsPage(window.store)
    window.add_page(page, "&Patterns")
    window.episodes_changed.connect(lambda: page.set_store(window.store))
    page.tips_requested.connect(lambda key: show_tips(window, key))
    return page
