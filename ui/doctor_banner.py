"""A plain, polite banner when the articles' see-a-doctor advice applies to the diary now.

Shown above the pages, never behind a click. It lists every reason that applies today
(tracker.doctor_rules.evaluate_at, the same engine as the doctor summary), each with the dates
of the cramps behind it. A reason stays while those cramps are within its window (a warning
sign: two weeks), however many ordinary cramps follow. Dismissing hides each reason shown until
a newer cramp triggers it again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QPushButton

from tracker import doctor_rules, knowledge
from tracker.episode import Episode
from tracker.profile import load_profile
from tracker.store import StoreError
from ui.notice_layout import build_notice
from ui.tip_html import SHORT_NOT_DIAGNOSIS


def _now() -> datetime:
    return datetime.now().astimezone()


class DoctorBanner(QFrame):
    details_requested = Signal()

    def __init__(
        self,
        store,
        kb: knowledge.KnowledgeBase | None = None,
        parent=None,
        clock: Callable[[], datetime] = _now,
    ):
        super().__init__(parent)
        self.store = store
        self.kb = kb or knowledge.default()
        self.clock = clock
        self.alerts: list[doctor_rules.DoctorAlert] = []  # shown: applying and not dismissed
        self._session_dismissed: set[tuple[int | None, str]] = set()
        self.setObjectName("doctorBanner")
        self.setAccessibleName("See a doctor")
        self.setStyleSheet(
            "#doctorBanner { background: #fdf0f0; border: 1px solid #d9a0a0;"
            " border-left: 6px solid #a4262c; border-radius: 4px; }"
        )
        self.body, buttons = build_notice(self)
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setToolTip(
            "Hide these reasons until a newer cramp gives one of them again"
        )
        self.dismiss_button.clicked.connect(self.dismiss)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        self.hide()

    def set_store(self, store) -> None:
        self.store = store
        self._session_dismissed.clear()  # episode ids of another diary mean other cramps
        self.refresh()

    def show_for(self, episode: Episode) -> None:
        """After a save: the reasons are those of the whole diary, this episode included."""
        self.refresh()

    def refresh(self) -> None:
        """Re-check what applies today, after any change to the diary or the profile."""
        applying = doctor_rules.alerts_now(self.store, load_profile(self.store), self.clock())
        self.alerts = [
            a
            for a in doctor_rules.undismissed(applying, self.store)
            if (a.latest_episode_id, a.rule_id) not in self._session_dismissed
        ]
        if not self.alerts:
            self.hide()
            return
        self.body.setText(self._html())
        self.show()

    def _html(self) -> str:
        items = []
        for alert in self.alerts:
            cites = "; ".join(escape(self.kb.sources[s].citation()) for s in alert.sources)
            items.append(
                f"<li style='margin-bottom:2px'><b>{escape(alert.title)}</b> "
                f"<span style='color:#555'>({escape(when(alert))})</span>: "
                f"{escape(alert.message)} <span style='color:#555'>— Source: {cites}</span></li>"
            )
        return (
            "<b style='color:#7a1c21'>It may be worth seeing a doctor</b>"
            f"<ul style='margin-top:4px; margin-bottom:2px'>{''.join(items)}</ul>"
            f"<i>{escape(SHORT_NOT_DIAGNOSIS)}</i>"
        )

    def dismiss(self) -> None:
        for alert in self.alerts:
            self._session_dismissed.add((alert.latest_episode_id, alert.rule_id))
        try:
            doctor_rules.dismiss_alerts(self.alerts, self.store)
        except StoreError:  # read-only diary: remember it for this session only
            pass
        self.alerts = []
        self.hide()

    def shown_rules(self) -> list[str]:
        return [a.rule_id for a in self.alerts] if self.isVisible() else []


def when(alert: doctor_rules.DoctorAlert) -> str:
    """'Tue 03 Mar 2026 at about 03:00' for one cramp; 'Mon 02 Mar 2026 to Wed 04 Mar 2026'."""
    if not alert.episodes:  # pragma: no cover - every rule names its episodes
        return ""
    if len(alert.episodes) == 1:
        (episode,) = alert.episodes
        about = "about " if episode.time_approximate else ""
        return f"{episode.started_at:%a %d %b %Y} at {about}{episode.started_at:%H:%M}"
    if alert.first_date == alert.last_date:
        return f"{alert.first_date:%a %d %b %Y}"
    return f"{alert.first_date:%a %d %b %Y} to {alert.last_date:%a %d %b %Y}"
