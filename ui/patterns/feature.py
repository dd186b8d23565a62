"""Plugs the Patterns page into the main window (installed by its finish_setup())."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from ui.patterns import warmup
from ui.patterns.page import PatternsPage

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow


# After the pages are installed, let the rest of start-up go first (the history's ids, the daily
# backup), then import the chart modules and read the remembered range, each in a thread, so the
# first switch to Patterns finds both done and only draws.
WARMUP_DELAY_MS = 300


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
    window.checkins_changed.connect(page.checkins_changed)
    page.tips_requested.connect(lambda key: show_tips(window, key))

    def warm_up() -> None:
        warmup.start()
        page.prepare()

    QTimer.singleShot(WARMUP_DELAY_MS, window, warm_up)
    return page
