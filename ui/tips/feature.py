"""Tips feature: the Tips page, the post-save suggestion, the doctor banner and the profile.

Installed by the main window's finish_setup(); it talks to the window only through its public
members and signals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from tracker.advice import knowledge
from tracker.advice.profile import load_profile
from ui.tips.doctor_banner import DoctorBanner
from ui.tips.page import TipsPage
from ui.tips.profile_dialog import ProfileDialog
from ui.tips.suggestion import TipSuggestion

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from tracker.diary.episode import Episode
    from ui.shell.main_window import MainWindow


class TipsFeature(QObject):
    """A child of the window, so it lives as long as the window whoever keeps it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        kb = knowledge.default()
        self.page = TipsPage(window.store, kb)
        self.banner = DoctorBanner(window.store, kb)
        self.suggestion = TipSuggestion(kb)
        window.notice_layout.addWidget(self.banner)
        window.notice_layout.addWidget(self.suggestion)
        window.add_page(self.page, "&Tips")

        self.profile_action = QAction("Health &profile (optional)…", window)
        self.profile_action.triggered.connect(self.edit_profile)
        window.add_file_actions(self.profile_action)
        # Dismissed doctor notices come back from here (the banner itself is gone once dismissed).
        self.notices_action = QAction("&Health notices…", window)
        self.notices_action.triggered.connect(self.show_health_notices)
        window.help_menu.insertAction(window.help_menu.actions()[0], self.notices_action)
        self.notices_dialog: QDialog | None = None

        self.page.profile_requested.connect(self.edit_profile)
        self.page.insights.checkin_requested.connect(window.checkin_requested.emit)
        self.suggestion.more_requested.connect(self.show_tips_page)
        window.episodes_changed.connect(self.on_episodes_changed)
        window.episode_saved.connect(self.on_episode_saved)
        window.closing.connect(self.page.stop_refresh)  # no worker left reading the diary
        self.banner.refresh()

    def on_episodes_changed(self) -> None:
        store = self.window.store
        if store is not self.page.store:  # the window switched databases (restore, import)
            self.page.set_store(store)
            self.banner.set_store(store)
            self.suggestion.hide()
            return
        self.page.mark_stale()
        self.banner.refresh()

    def on_episode_saved(self, episode: Episode) -> None:
        self.suggestion.show_for(episode, profile=load_profile(self.window.store))
        # No banner check here: the save already emitted episodes_changed, which refreshed it
        # (the check reads five weeks of history; once per save is enough).

    def show_tips_page(self) -> None:
        self.page.sections.setCurrentIndex(0)
        self.window.tabs.setCurrentWidget(self.page)

    def show_health_notices(self) -> QDialog:
        import shiboken6

        from ui.tips.health_notices import show_health_notices  # only when asked for

        dialog = self.notices_dialog
        if dialog is not None and shiboken6.isValid(dialog) and dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        dialog = show_health_notices(self.banner, self.window)
        self.notices_dialog = dialog
        dialog.destroyed.connect(self._forget_notices_dialog)
        return dialog

    def _forget_notices_dialog(self, *_: object) -> None:
        self.notices_dialog = None

    def edit_profile(self) -> None:
        dialog = ProfileDialog(self.window.store, self.window)
        if dialog.exec():
            self.page.mark_stale()
            self.banner.refresh()
            self.window.show_status("Health profile saved on this computer only.")
        dialog.deleteLater()


def install(window: MainWindow) -> TipsFeature:
    """Add the page, notices and actions; the window keeps the feature as ``tips_feature``."""
    return TipsFeature(window)
