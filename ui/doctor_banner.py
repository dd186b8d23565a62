"""A plain, polite banner when the articles' see-a-doctor advice applies to the latest cramp.

Shown above the pages, never behind a click. It can be dismissed for that episode; a later
episode (or a new reason for the same one) brings it back.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QPushButton

from tracker import doctor_rules, knowledge, tips
from tracker.episode import Episode
from tracker.profile import dismiss, is_dismissed, load_profile
from tracker.store import EpisodeNotFoundError, StoreError
from ui.notice_layout import build_notice
from ui.tip_html import SHORT_NOT_DIAGNOSIS


class DoctorBanner(QFrame):
    details_requested = Signal()

    def __init__(self, store, kb: knowledge.KnowledgeBase | None = None, parent=None):
        super().__init__(parent)
        self.store = store
        self.kb = kb or knowledge.default()
        self.alerts: list[doctor_rules.DoctorAlert] = []
        self.episode: Episode | None = None
        self._session_dismissed: set[tuple] = set()
        self.setObjectName("doctorBanner")
        self.setAccessibleName("See a doctor")
        self.setStyleSheet(
            "#doctorBanner { background: #fdf0f0; border: 1px solid #d9a0a0;"
            " border-left: 6px solid #a4262c; border-radius: 4px; }"
        )
        self.body, buttons = build_notice(self)
        self.dismiss_button = QPushButton("Dismiss for this episode")
        self.dismiss_button.clicked.connect(self.dismiss)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        self.hide()

    def set_store(self, store) -> None:
        self.store = store
        self.episode = None
        self.refresh()

    def show_for(self, episode: Episode) -> None:
        """Check the rules for this (just saved) episode."""
        self.episode = episode
        self._evaluate()

    def refresh(self) -> None:
        """After any change: re-check the episode shown (it may be edited or gone), else the
        most recent one."""
        current = None
        if self.episode is not None and self.episode.id is not None:
            try:
                current = self.store.get_episode(self.episode.id)
            except EpisodeNotFoundError:
                current = None
        if current is None:
            latest = tips.recent_episodes(self.store, 1)
            current = latest[0] if latest else None
        self.episode = current
        self._evaluate()

    def _evaluate(self) -> None:
        if self.episode is None:
            self.alerts = []
        else:
            profile = load_profile(self.store)
            days = doctor_rules.history_days(profile)
            history = tips.episodes_since(self.store, self.episode, days=days)
            self.alerts = doctor_rules.evaluate(self.episode, history, profile)
        key = (self.episode.id, self._rule_ids()) if self.episode is not None else None
        if not self.alerts or key in self._session_dismissed or is_dismissed(self.store, *key):
            self.hide()
            return
        self.body.setText(self._html())
        self.show()

    def _rule_ids(self) -> tuple[str, ...]:
        return tuple(a.rule_id for a in self.alerts)

    def _html(self) -> str:
        about = "about " if self.episode.time_approximate else ""
        when = f"{self.episode.started_at:%a %d %b %Y} at {about}{self.episode.started_at:%H:%M}"
        items = []
        for alert in self.alerts:
            cites = "; ".join(escape(self.kb.sources[s].citation()) for s in alert.sources)
            items.append(
                f"<li style='margin-bottom:2px'>{escape(alert.message)} "
                f"<span style='color:#555'>— Source: {cites}</span></li>"
            )
        return (
            "<b style='color:#7a1c21'>It may be worth seeing a doctor</b> "
            f"<span style='color:#555'>— about your cramp on {escape(when)}</span>"
            f"<ul style='margin-top:4px; margin-bottom:2px'>{''.join(items)}</ul>"
            f"<i>{escape(SHORT_NOT_DIAGNOSIS)}</i>"
        )

    def dismiss(self) -> None:
        if self.episode is not None and self.alerts:
            key = (self.episode.id, self._rule_ids())
            self._session_dismissed.add(key)
            try:
                dismiss(self.store, *key)
            except StoreError:  # read-only diary: remember it for this session only
                pass
        self.hide()

    def shown_rules(self) -> list[str]:
        return list(self._rule_ids()) if self.isVisible() else []
