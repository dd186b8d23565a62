"""A plain, polite banner when the articles' see-a-doctor advice applies to the diary now.

Shown above the pages, never behind a click: one line names the reasons that apply today
(tracker.advice.doctor_rules.evaluate_at, the same engine as the doctor summary); "Details" opens
each with the dates of the cramps behind it, its advice and its source. A reason stays while those
cramps are within its window (a warning sign: two weeks), however many ordinary cramps follow.
Dismissing hides each reason shown until a newer cramp triggers it again; Help > Health
notices lists them all and brings a dismissed one back.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from datetime import datetime
from html import escape

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QPushButton

from tracker.advice import doctor_rules, knowledge
from tracker.advice.doctor_window import DoctorAlert
from tracker.advice.profile import load_profile, undismiss
from tracker.diary.episode import Episode
from tracker.store import StoreError
from ui.tips.tip_html import SHORT_NOT_DIAGNOSIS
from ui.widgets import theme
from ui.widgets.dates import short_date, short_time
from ui.widgets.notice_layout import build_notice, summary_line

# In a diary this large the check (it reads five weeks of history; ~40 ms at 100,000 episodes)
# runs in a thread, so a save never waits for it; in a smaller one it is quick and in at once.
LARGE_DIARY = 20_000
# ... and starts once the window has settled after a change: the save, undo or page switch a
# person is making gets the interpreter to itself, and a run of changes is checked once.
SETTLE_MS = 400


def _now() -> datetime:
    return datetime.now().astimezone()


class DoctorBanner(QFrame):
    _checked = Signal(int, object)  # from the check thread: (request number, alerts or None)

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
        self.alerts: list[DoctorAlert] = []  # shown: applying and not dismissed
        self._session_dismissed: set[tuple[int | None, str]] = set()
        self.in_thread: bool | None = None  # check in a thread (a large diary); None: not known
        self._requests = 0  # refreshes asked for; a thread's answer to an older one is redone
        self._checking: threading.Thread | None = None
        self._checked.connect(self._thread_checked)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._check_in_thread)
        self.setObjectName("doctorBanner")
        self.setAccessibleName("See a doctor")
        theme.keep_notice_style(self, "doctor", "#doctorBanner", self._recolour)
        parts = build_notice(self, "It may be worth seeing a doctor:")
        self.summary, self.body, self.details_button = (
            parts.summary,
            parts.body,
            parts.details_button,
        )
        self.details_button.setAccessibleName("Details of the reasons to see a doctor")
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setToolTip(
            "Hide these reasons until a newer cramp gives one of them again"
        )
        self.dismiss_button.clicked.connect(self.dismiss)
        parts.buttons.addWidget(self.dismiss_button)
        self.hide()

    def set_store(self, store) -> None:
        self.store = store
        self._session_dismissed.clear()  # episode ids of another diary mean other cramps
        self.in_thread = None  # another diary: see its size again
        self.refresh()

    def show_for(self, episode: Episode) -> None:
        """After a save: the reasons are those of the whole diary, this episode included."""
        self.refresh()

    def current_alerts(self) -> list[DoctorAlert]:
        """Every reason that applies today, dismissed or not (for Help > Health notices)."""
        return doctor_rules.alerts_now(self.store, load_profile(self.store), self.clock())

    def is_dismissed(self, alert: DoctorAlert) -> bool:
        key = (alert.latest_episode_id, alert.rule_id)
        return key in self._session_dismissed or not doctor_rules.undismissed([alert], self.store)

    def undismiss(self, alert: DoctorAlert) -> None:
        """Show a dismissed reason again (until it is dismissed again)."""
        self._session_dismissed.discard((alert.latest_episode_id, alert.rule_id))
        try:
            undismiss(self.store, alert.latest_episode_id, (alert.rule_id,))
        except StoreError:  # read-only diary: the session's own dismissal is gone, that's all
            pass
        self.refresh()

    def refresh(self) -> None:
        """Re-check what applies today, after any change to the diary or the profile (in a
        thread in a large diary; the banner keeps what it shows until the answer is in)."""
        self._requests += 1
        if self.in_thread is None and self.store is not None:
            self.in_thread = self.store.count_episodes() > LARGE_DIARY
        if self.in_thread and self.store is not None:
            self._settle.start()  # (re)started: the check begins SETTLE_MS after the last change
            return
        self._show(self.current_alerts())

    def _check_in_thread(self) -> None:
        if self._checking is not None and self._checking.is_alive():
            return  # its answer is for an older request: it is checked again when it is in
        store, profile, now, number = (
            self.store,
            load_profile(self.store),
            self.clock(),
            self._requests,
        )
        shared = store.state_key()  # the Tips page's worker may be evaluating the same state

        def work() -> None:
            alerts = None
            with contextlib.suppress(StoreError):
                with store.reader() as reader:  # its own connection
                    alerts = doctor_rules.alerts_now(reader, profile, now, shared)
            with contextlib.suppress(
                RuntimeError, TypeError
            ):  # the banner was closed meanwhile (either error)
                self._checked.emit(number, alerts)  # queued: handled on the UI thread

        self._checking = threading.Thread(target=work, name="doctor-check", daemon=True)
        self._checking.start()

    def _thread_checked(self, number: int, alerts: list[DoctorAlert] | None) -> None:
        self._checking = None
        if alerts is None:  # the diary could not be opened from a thread: check here
            self.in_thread = False
            self._requests -= 1
            self.refresh()
        elif number != self._requests:
            self._check_in_thread()  # the diary changed again meanwhile
        else:
            self._show(alerts)

    def wait_for_check(self, timeout: float | None = None) -> None:
        """Start a check that is waiting for the window to settle now, and wait for it."""
        if self._settle.isActive():
            self._settle.stop()
            self._check_in_thread()
        if self._checking is not None:
            self._checking.join(timeout)

    def _show(self, alerts: list[DoctorAlert]) -> None:
        self.alerts = [a for a in alerts if not self.is_dismissed(a)]
        if not self.alerts:
            self.hide()
            return
        line = summary_line([a.title for a in self.alerts])
        self.summary.set_full_text(line)
        whole = f"It may be worth seeing a doctor: {line}. {SHORT_NOT_DIAGNOSIS}"
        self.summary.setToolTip(whole)
        self.summary.setAccessibleName("Reasons to see a doctor")
        self.setAccessibleDescription(whole)
        self.summary.setAccessibleDescription(whole)
        self.body.setText(self._html())
        self.show()

    def _recolour(self) -> None:
        if self.alerts:
            self.body.setText(self._html())

    def _html(self) -> str:
        muted = theme.notice_colors(theme.app_palette(), "doctor")["muted"].name()
        items = []
        for alert in self.alerts:
            cites = "; ".join(escape(self.kb.sources[s].citation()) for s in alert.sources)
            items.append(
                f"<li style='margin-bottom:2px'><b>{escape(alert.title)}</b> "
                f"<span style='color:{muted}'>({escape(when(alert))})</span>: "
                f"{escape(alert.message)} <span style='color:{muted}'>— Source: {cites}</span></li>"
            )
        return (
            f"<ul style='margin-top:2px; margin-bottom:2px'>{''.join(items)}</ul>"
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


def when(alert: DoctorAlert) -> str:
    """'3 Mar 2026 at about 03:00' for one cramp; '2 Mar 2026 to 4 Mar 2026'
    (ui/widgets/dates.py)."""
    if not alert.episodes:  # pragma: no cover - every rule names its episodes
        return ""
    if len(alert.episodes) == 1:
        (episode,) = alert.episodes
        about = "about " if episode.time_approximate else ""
        return f"{short_date(episode.started_at)} at {about}{short_time(episode.started_at)}"
    first, last = alert.first_date, alert.last_date
    if first is None or last is None:  # pragma: no cover - set whenever there are episodes
        return ""
    if first == last:
        return short_date(first)
    return f"{short_date(first)} to {short_date(last)}"
