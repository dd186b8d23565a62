"""The Tips page's "What goes with your cramps": cramp rates on days with and without each
factor of the daily check-in, and before/after each medicine change (issue 16).

Gathered in a worker thread on its own read-only connection (tracker.advice.exposure_view) as
"For you" is: a request number per refresh, an older answer dropped, "Updating…" meanwhile,
and only when the section is shown after a change. A change is an episode write
(``Store.revision``) or a check-in or medicine write (``Store.checkin_revision``); the section
checks both when shown and when its window becomes active again (a check-in dialog closed).
The words say what goes together in the diary, never what causes what.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from html import escape

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QUrl, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tracker.advice import exposure_view, knowledge
from tracker.advice.exposure_view import ExposureView
from tracker.analysis.exposure import FactorInsight, MedicineChange
from tracker.store import StoreError
from ui.tips.tip_html import muted_colour

UPDATING_TEXT = "Updating…"
TITLE = "What goes with your cramps"
NO_CHECKINS_TEXT = (
    "Nothing to compare yet. A daily check-in (about 15 seconds) records your day: fluids, "
    "exercise, shoes and more. After two weeks of check-ins this page compares how often you "
    "had cramps on days with and without each of them."
)
CHECKIN_BUTTON_TEXT = "Daily check-in…"
ASSOCIATION_NOTE = (
    "These show what goes together in your diary, not what causes what: something else may "
    "go with both."
)
TIP_SCHEME = "tip"


def _now() -> datetime:
    return datetime.now().astimezone()


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _rate(cramps: int, days: int) -> str:
    return f"{cramps / days:.2f} a day ({cramps} cramp{'s' if cramps != 1 else ''} in {days} days)"


def _interval(low: float, high: float) -> str:
    def fmt(x: float) -> str:
        return f"{x:.2f}" if x < 0.1 else f"{x:.1f}"

    return f"{fmt(low)} to {fmt(high)}"


def _heading(insight: FactorInsight) -> str:
    label = insight.factor.label
    return f"{label[0].upper()}{label[1:]}: cramps {insight.window.label}"


def _tip_links(kb: knowledge.KnowledgeBase, tip_ids: tuple[str, ...]) -> tuple[str, str]:
    """Links to the tips an insight supports, and the line citing their sources."""
    tips = exposure_view.supported_tips(kb, tip_ids)
    return _links_and_sources(kb, tips, ())


def _links_and_sources(
    kb: knowledge.KnowledgeBase, tips: list[knowledge.Tip], source_ids: tuple[str, ...]
) -> tuple[str, str]:
    links = " · ".join(f"<a href='{TIP_SCHEME}:{escape(t.id)}'>{escape(t.title)}</a>" for t in tips)
    sources = exposure_view.cited_sources(kb, tips, source_ids)
    cites = "; ".join(escape(s.citation()) for s in sources)
    label = "Source" if len(sources) == 1 else "Sources"
    return links, (f"{label}: {cites}" if sources else "")


def _clear_block(
    kb: knowledge.KnowledgeBase, insight: FactorInsight, tests: int, muted: str
) -> str:
    c = insight.comparison
    assert c is not None
    links, sources = _tip_links(kb, insight.tip_ids)
    numbers = (
        f"With: {_rate(c.exposed_cramps, c.exposed_days)}. "
        f"Without: {_rate(c.unexposed_cramps, c.unexposed_days)}. "
        f"Rate ratio {c.rate_ratio:.1f}, 95% interval {_interval(c.low, c.high)}. "
        f"Clear after allowing for {tests} comparison{'s' if tests != 1 else ''} made at once."
    )
    parts = [
        f"<p style='margin-bottom:2px'><b>{escape(_heading(insight))}</b></p>",
        f"<p style='margin-top:0; margin-bottom:2px'>{escape(insight.text)}</p>",
        f"<p style='margin-top:0; margin-bottom:2px'>{escape(numbers)}</p>",
    ]
    if links:
        parts.append(f"<p style='margin-top:0; margin-bottom:2px'>Tips that fit: {links}</p>")
    if sources:
        parts.append(f"<p style='margin-top:0; color:{muted}'>{sources}</p>")
    return "".join(parts)


def _compact_line(kb: knowledge.KnowledgeBase, insight: FactorInsight) -> str:
    c = insight.comparison
    if c is not None:
        what = (
            f"no clear difference (rate ratio {c.rate_ratio:.1f}, 95% interval "
            f"{_interval(c.low, c.high)}; {c.exposed_days} days with, {c.unexposed_days} without)"
        )
    elif insight.needs_checkins is not None:
        n = insight.needs_checkins
        what = f"needs {n} more check-in{'s' if n != 1 else ''}"
    else:
        what = insight.text[0].lower() + insight.text[1:]
    return f"<li>{escape(_heading(insight))}: {escape(what)}</li>"


def _medicine_block(kb: knowledge.KnowledgeBase, change: MedicineChange, muted: str) -> str:
    known = {t.id: t for t in kb.tips}
    tips = [known[i] for i in change.tip_ids if i in known]
    links, sources = _links_and_sources(kb, tips, change.source_ids)
    head = f"{change.medicine.name}: {change.event} {_day(change.on)}"
    parts = [
        f"<p style='margin-bottom:2px'><b>{escape(head)}</b></p>",
        f"<p style='margin-top:0; margin-bottom:2px'>{escape(change.text)}</p>",
    ]
    if links:
        parts.append(f"<p style='margin-top:0; margin-bottom:2px'>Tips that fit: {links}</p>")
    if sources:
        parts.append(f"<p style='margin-top:0; color:{muted}'>{sources}</p>")
    return "".join(parts)


def insights_html(view: ExposureView, kb: knowledge.KnowledgeBase, muted: str) -> str:
    """The section's document: clear findings in full, the rest compactly, then medicines."""
    blocks: list[str] = []
    if view.report is not None:
        days = view.checkin_days
        blocks.append(
            f"<p>From {days} day{'s' if days != 1 else ''} with a check-in: cramps on check-in "
            "days with and without each factor, the same day and the night after. A day "
            "without a check-in, or a question left out, counts in neither group. "
            f"{escape(ASSOCIATION_NOTE)}</p>"
        )
        for insight in view.clear:
            blocks.append(_clear_block(kb, insight, view.tests, muted))
        if not view.clear:
            blocks.append("<p><b>No clear difference for any factor yet.</b></p>")
        rest = [*view.unclear, *view.waiting]
        if rest:
            items = "".join(_compact_line(kb, i) for i in rest)
            blocks.append(
                "<p style='margin-bottom:0'><b>Other factors</b></p>"
                f"<ul style='margin-top:0'>{items}</ul>"
            )
    if view.medicines:
        blocks.append("<p style='margin-bottom:0'><b>Medicines and supplements</b></p>")
        blocks.extend(_medicine_block(kb, change, muted) for change in view.medicines)
    return "".join(blocks)


class InsightsSection(QWidget):
    tip_requested = Signal(str)  # a tip id: the page shows that tip
    checkin_requested = Signal(str)  # 'evening': the window opens the daily check-in
    refreshed = Signal()  # the newest request's answer is on screen
    # worker → UI thread (queued): (request number, ExposureView or error)
    _gathered = Signal(int, object)

    def __init__(
        self,
        store,
        kb: knowledge.KnowledgeBase | None = None,
        parent: QWidget | None = None,
        clock: Callable[[], datetime] = _now,
    ):
        super().__init__(parent)
        self.store = store
        self.kb = kb or knowledge.default()
        self.clock = clock
        self.view: ExposureView | None = None
        self._seen: tuple[object, int, int] | None = None  # (store, revision, checkin_revision)
        self._requests = 0
        self._shown = 0
        self._worker: threading.Thread | None = None
        self._watched: QObject | None = None
        self._gathered.connect(self._on_gathered)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("About these comparisons")
        self.updating = QLabel(UPDATING_TEXT)
        self.updating.setAccessibleName("Comparisons updating")
        self.updating.setEnabled(False)
        policy = self.updating.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        policy.setHorizontalPolicy(QSizePolicy.Policy.Fixed)
        self.updating.setSizePolicy(policy)
        self.updating.hide()
        self.checkin_button = QPushButton(CHECKIN_BUTTON_TEXT)
        self.checkin_button.setToolTip("Record today: fluids, exercise, shoes, stress and more.")
        self.checkin_button.clicked.connect(lambda: self.checkin_requested.emit("evening"))
        self.checkin_button.hide()
        top.addWidget(self.summary, 1)
        top.addWidget(self.updating)
        top.addWidget(self.checkin_button)
        layout.addLayout(top)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName(TITLE)
        self.browser.document().setDocumentMargin(12)
        self.browser.anchorClicked.connect(self._link)
        self.browser.hide()  # until the first answer is in
        layout.addWidget(self.browser, 1)
        layout.addStretch(0)  # holds the summary at the top while the browser is hidden

    # ----------------------------------------------------------------- data
    def _key(self) -> tuple[object, int, int] | None:
        store = self.store
        if store is None:
            return None
        return (store, store.revision, store.checkin_revision)

    def set_store(self, store) -> None:
        self.store = store
        self.check_current()

    def check_current(self) -> None:
        """Gather again if the diary changed since the last answer (now if visible)."""
        if self._key() != self._seen and self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        window = self.window()
        if window is not self._watched:  # a dialog closing makes the window active again
            if self._watched is not None:
                self._watched.removeEventFilter(self)
            window.installEventFilter(self)
            self._watched = window
        self.check_current()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.WindowActivate and self.isVisible():
            self.check_current()
        return False

    @property
    def refreshing(self) -> bool:
        return self._shown != self._requests

    def refresh(self) -> None:
        self._requests += 1
        self._seen = self._key()
        self.updating.show()
        if self._worker is None:
            self._start()

    def _start(self) -> None:
        store = self.store
        if store is None:
            self._shown = self._requests
            self.updating.hide()
            return
        number, kb, today = self._requests, self.kb, self.clock().date()
        emit = self._gathered.emit

        def work() -> None:
            result: ExposureView | Exception
            try:
                with store.reader() as reader:  # its own connection
                    result = exposure_view.gather(reader, kb, today)
            except Exception as exc:  # noqa: BLE001 - handed to the UI thread, never lost
                result = exc
            with contextlib.suppress(
                RuntimeError, TypeError
            ):  # the section was deleted meanwhile (either error)
                emit(number, result)

        self._worker = threading.Thread(target=work, name="tips-insights", daemon=True)
        self._worker.start()

    def _on_gathered(self, number: int, result: object) -> None:
        self._worker = None
        if number != self._requests:  # changed again meanwhile: gather once more
            if number > self._shown and self.isVisible():
                self._start()
            else:
                self._seen = None
                self.updating.hide()
            return
        if isinstance(result, StoreError) and self.store is not None:
            result = exposure_view.gather(self.store, self.kb, self.clock().date())
        elif isinstance(result, BaseException):
            self._shown = number
            self.updating.hide()
            raise result
        assert isinstance(result, ExposureView)
        self._shown = number
        self.view = result
        self.updating.hide()
        self.show_view()
        self.refreshed.emit()

    def show_view(self) -> None:
        view = self.view
        if view is None:
            return
        none = view.report is None
        self.checkin_button.setVisible(none)
        if none:
            self.summary.setText(NO_CHECKINS_TEXT)
        else:
            clear = len(view.clear)
            self.summary.setText(
                f"{clear} clear difference{'s' if clear != 1 else ''} found over "
                f"{view.checkin_days} check-in days. Numbers are cramps per day."
                if clear
                else f"No clear difference yet over {view.checkin_days} check-in days."
            )
        html = insights_html(view, self.kb, muted_colour())
        self.browser.setHtml(html)
        self.browser.setVisible(bool(html))  # no empty box under the invitation

    def _link(self, url: QUrl) -> None:
        if url.scheme() == TIP_SCHEME:
            self.tip_requested.emit(url.path())

    def wait_for_refresh(self, timeout: float = 10.0) -> bool:
        """Block until the newest request's answer is on screen (tests, benchmarks)."""
        deadline = time.monotonic() + timeout
        while self.refreshing:
            worker = self._worker
            if worker is None:
                return False
            worker.join(max(0.0, deadline - time.monotonic()))
            QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)
            if time.monotonic() >= deadline:
                break
        return not self.refreshing

    def stop_refresh(self, timeout: float = 2.0) -> None:
        """Drop any answer still coming and wait for the worker (the window closes)."""
        self._requests += 1
        self._shown = self._requests
        self._seen = None
        self.updating.hide()
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.join(timeout)
