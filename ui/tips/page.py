"""The Tips page: advice ranked for this person ("For you") and the whole library to browse.

Ranking reads the diary (its Patterns findings over 90 days cost seconds in a diary of a million
episodes), so "For you" is gathered in a worker thread on its own read-only connection
(tracker.advice.for_you) while the page keeps what it shows, with "Updating…" beside it; the UI
thread only builds and sets the HTML. It is gathered only when the page is shown after a
change, never on every save while it is hidden. Several changes in a row coalesce: one
gathering runs at a time, and when it ends with newer changes waiting, one more runs for all of
them (an answer for an older request is dropped, never shown).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tracker.advice import for_you, knowledge, tips
from tracker.diary import vocab
from tracker.store import Store, StoreError
from ui.tips.insights_section import TITLE as INSIGHTS_TITLE
from ui.tips.insights_section import InsightsSection
from ui.tips.tip_html import NOT_DIAGNOSIS, sources_html, tip_block, tips_document
from ui.widgets import theme

FOR_YOU_LIMIT = for_you.FOR_YOU_LIMIT
UPDATING_TEXT = "Updating…"
EMPTY_DIARY_TEXT = "Log a few cramps and the tips that fit your own situations will appear here."
NOTHING_FITS_TEXT = (
    "Nothing in your recent episodes points to a particular tip yet. "
    "Browse All tips for general advice."
)


def _now() -> datetime:
    return datetime.now().astimezone()


def _browser(name: str) -> QTextBrowser:
    view = QTextBrowser()
    view.setOpenLinks(False)
    view.setAccessibleName(name)
    view.document().setDocumentMargin(12)
    return view


class TipsPage(QWidget):
    profile_requested = Signal()
    refreshed = Signal()  # "For you" shows the newest request's tips
    # worker → UI thread (queued): (request number, store revision asked at, ForYou or error)
    _gathered = Signal(int, int, object)

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
        self.matches: list[tips.TipMatch] = []
        self.result: for_you.ForYou | None = None  # what "For you" shows
        self._stale = True
        self._requests = 0  # refreshes asked for; only the newest one's answer is shown
        self._shown = 0  # the request whose answer is on screen
        self._worker: threading.Thread | None = None
        # The findings' aggregates of the last answer and the store and revision they are of:
        # the next gathering updates them by what changed since, instead of reading them again.
        self._kept: tuple[Store, int, for_you.ForYou] | None = None
        self._gathered.connect(self._on_gathered)

        layout = QVBoxLayout(self)
        self.disclaimer = QLabel(NOT_DIAGNOSIS)
        self.disclaimer.setWordWrap(True)
        self.disclaimer.setAccessibleName("Not a diagnosis")
        self.disclaimer.setObjectName("notDiagnosis")
        layout.addWidget(self.disclaimer)

        self.sections = QTabWidget()
        self.sections.setAccessibleName("Tips sections")
        layout.addWidget(self.sections, 1)

        # For you
        for_you = QWidget()
        fy_layout = QVBoxLayout(for_you)
        fy_layout.setContentsMargins(0, 6, 0, 0)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Why these tips")
        # Shown while "For you" is gathered; its place is kept, so nothing moves when it goes.
        self.updating = QLabel(UPDATING_TEXT)
        self.updating.setAccessibleName("Tips updating")
        self.updating.setEnabled(False)  # the palette's muted text
        policy = self.updating.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        policy.setHorizontalPolicy(QSizePolicy.Policy.Fixed)
        self.updating.setSizePolicy(policy)
        self.updating.hide()
        self.profile_button = QPushButton("Health profile (optional)…")
        self.profile_button.setToolTip(
            "Age range, conditions and medicines, kept only on this computer. All optional."
        )
        self.profile_button.clicked.connect(self.profile_requested.emit)
        top.addWidget(self.summary, 1)
        top.addWidget(self.updating)
        top.addWidget(self.profile_button)
        fy_layout.addLayout(top)
        self.for_you_view = _browser("Tips for you")
        fy_layout.addWidget(self.for_you_view, 1)
        self.sections.addTab(for_you, "For you")

        # What goes with your cramps (check-ins and medicines), beside "For you"
        self.insights = InsightsSection(store, self.kb, clock=clock)
        self.insights.tip_requested.connect(self.show_tip)
        self.sections.addTab(self.insights, INSIGHTS_TITLE)

        # Library
        library = QWidget()
        lib_layout = QVBoxLayout(library)
        lib_layout.setContentsMargins(0, 6, 0, 0)
        filters = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search tips, e.g. heels, night, magnesium")
        self.search_edit.setAccessibleName("Search tips")
        self.search_edit.setClearButtonEnabled(True)
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Kind of tip")
        self.kind_combo.addItem("All kinds", None)
        for code, text in vocab.TIP_KINDS.items():
            self.kind_combo.addItem(text, code)
        self.factor_combo = QComboBox()
        self.factor_combo.setAccessibleName("Related to")
        self.factor_combo.addItem("Anything", None)
        for code, text in vocab.TIP_FACTORS.items():
            self.factor_combo.addItem(text, code)
        filters.addWidget(QLabel("Search:"))
        filters.addWidget(self.search_edit, 1)
        filters.addWidget(QLabel("Kind:"))
        filters.addWidget(self.kind_combo)
        filters.addWidget(QLabel("Related to:"))
        filters.addWidget(self.factor_combo)
        lib_layout.addLayout(filters)
        self.library_count = QLabel()
        lib_layout.addWidget(self.library_count)
        self.library_view = _browser("Tips library")
        lib_layout.addWidget(self.library_view, 1)
        self.sections.addTab(library, "All tips")
        self.library_tab = library

        self.sources_view = _browser("Sources of the tips")
        self.sections.addTab(self.sources_view, "Sources")

        self.search_edit.textChanged.connect(self.refresh_library)
        self.kind_combo.currentIndexChanged.connect(self.refresh_library)
        self.factor_combo.currentIndexChanged.connect(self.refresh_library)
        self._highlight: str | None = None  # the tip an insight's link asked for
        self._styled = False
        theme.follow_palette(self, self._recolour)

    def _recolour(self) -> None:
        """Colours come from the palette: re-style and re-render when it changes."""
        self.disclaimer.setStyleSheet(
            theme.notice_style(theme.app_palette(), "info", "#notDiagnosis")
            + " #notDiagnosis { border-radius: 4px; padding: 6px 10px; }"
        )
        self.sources_view.setHtml(sources_html(self.kb))
        self.refresh_library()
        if self._styled:
            self._render()  # For you in the new colours; its tips are the same
            self.insights.show_view()
        self._styled = True

    # ----------------------------------------------------------------- data
    def set_store(self, store) -> None:
        self.store = store
        self._kept = None
        self.insights.set_store(store)
        self.mark_stale()

    def mark_stale(self) -> None:
        """Gather again now if visible, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.refresh()
        self.insights.check_current()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale:
            self.refresh()

    @property
    def refreshing(self) -> bool:
        """Whether a request is not on screen yet (its gathering runs or waits to)."""
        return self._shown != self._requests

    def refresh(self) -> None:
        """Gather "For you" again in a worker; what is shown stays until the answer is in."""
        self._stale = False
        self._requests += 1
        self.updating.show()
        if self._worker is not None:
            return  # when its answer is in, one more gathering covers this request (and later)
        self._start()

    def _start(self) -> None:
        store = self.store
        if store is None:
            self._shown = self._requests
            self.updating.hide()
            return
        number, revision, now, kb = self._requests, store.revision, self.clock(), self.kb
        shared = store.state_key()
        kept = changes = None
        if self._kept is not None:
            kept_store, kept_revision, last = self._kept
            if kept_store is store and last.today == now.date() and last.data is not None:
                changes = store.changes_since(kept_revision)  # None: read everything again
                kept = last.data if changes is not None else None
        emit = self._gathered.emit

        def work() -> None:
            result: for_you.ForYou | Exception
            try:
                with store.reader() as reader:  # its own connection
                    result = for_you.gather(kb, reader, now, kept, changes, shared=shared)
            except Exception as exc:  # noqa: BLE001 - handed to the UI thread, never lost
                result = exc
            with contextlib.suppress(
                RuntimeError, TypeError
            ):  # the page was deleted meanwhile (either error)
                emit(number, revision, result)  # queued: handled on the UI thread

        self._worker = threading.Thread(target=work, name="tips-for-you", daemon=True)
        self._worker.start()

    def _on_gathered(self, number: int, revision: int, result: object) -> None:
        self._worker = None
        if number != self._requests:  # the diary changed again meanwhile: gather once more
            if number > self._shown and self.isVisible():
                self._start()
            else:
                self._stale = True
                self.updating.hide()
            return
        if isinstance(result, StoreError):
            # The file could not be opened beside the app's connection (e.g. a read-only
            # location): gather on this thread, as before there was a worker.
            result = for_you.gather(self.kb, self.store, self.clock())
        elif isinstance(result, BaseException):
            self._shown = number
            self.updating.hide()
            raise result
        assert isinstance(result, for_you.ForYou)
        self._shown = number
        # Kept only when nothing was written since the request: then the reader saw exactly
        # ``revision``, and the next changes_since(revision) are what is missing from it.
        same = self.store is not None and self.store.revision == revision
        self._kept = (self.store, revision, result) if same and result.data else None
        self.result = result
        self.matches = list(result.matches)
        self.updating.hide()
        self._render()
        self.refreshed.emit()

    def _render(self) -> None:
        """The summary and the tips of the last answer as HTML (the UI thread's only part)."""
        result = self.result
        if result is None:
            return
        if not result.episodes:
            self.summary.setText(EMPTY_DIARY_TEXT)
        else:
            n = result.episodes
            basis = [f"your last {n} episode{'s' if n != 1 else ''}"]
            if result.findings:
                basis.append(f"your Patterns findings (last {tips.INSIGHT_DAYS} days)")
            if not result.profile_empty:
                basis.append("your health profile")
            joined = " and ".join([", ".join(basis[:-1]), basis[-1]] if len(basis) > 1 else basis)
            self.summary.setText(
                f"Chosen from {joined}. Tips that fit more of your episodes come first."
            )
        blocks = [tip_block(self.kb, m.tip, m.reasons) for m in result.matches]
        self.for_you_view.setHtml(tips_document(self.kb, blocks, NOTHING_FITS_TEXT))

    def wait_for_refresh(self, timeout: float = 10.0) -> bool:
        """Block until "For you" shows the newest request (tests, benchmarks); True if it
        does. Delivers the worker's answer here, as the event loop would."""
        deadline = time.monotonic() + timeout
        while self.refreshing:
            worker = self._worker
            if worker is None:
                return False  # nothing runs (hidden with a request dropped): not coming
            worker.join(max(0.0, deadline - time.monotonic()))
            QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)
            if time.monotonic() >= deadline:
                break
        return not self.refreshing

    def forget_kept(self) -> None:
        """Read the findings afresh next time (benchmarks: the first visit's cost)."""
        self._kept = None

    def stop_refresh(self, timeout: float = 2.0) -> None:
        """Drop any answer still coming and wait for the worker to close its connection (the
        window closes: the diary is then closed with no reader left open on it)."""
        self._requests += 1
        self._shown = self._requests
        self._stale = True
        self.updating.hide()
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.join(timeout)
        self.insights.stop_refresh(timeout)

    def refresh_library(self) -> None:
        found = self.kb.search(
            self.search_edit.text(), self.kind_combo.currentData(), self.factor_combo.currentData()
        )
        total = len(self.kb.tips)
        self.library_count.setText(f"{len(found)} of {total} tips")
        blocks = [self._library_block(t) for t in found]
        self.library_view.setHtml(
            tips_document(self.kb, blocks, "No tip matches this search. Try fewer words.")
        )

    def _library_block(self, tip: knowledge.Tip) -> str:
        """A tip of the library with an anchor to scroll to; the one asked for is framed."""
        block = f"<a name='tip-{tip.id}'></a>" + tip_block(self.kb, tip)
        if tip.id != self._highlight:
            return block
        palette = theme.app_palette()
        back = palette.color(palette.ColorRole.AlternateBase).name()
        edge = palette.color(palette.ColorRole.Highlight).name()
        return (
            f"<table width='100%' cellpadding='8' cellspacing='0' border='2' bgcolor='{back}' "
            f"style='border-color:{edge}; border-style:solid'><tr><td>{block}</td></tr></table>"
        )

    def show_tip(self, tip_id: str) -> None:
        """Show one tip in the library (an insight's link): filters cleared so it is listed,
        scrolled to and framed."""
        self._highlight = tip_id
        for widget in (self.search_edit, self.kind_combo, self.factor_combo):
            widget.blockSignals(True)
        self.search_edit.clear()
        self.kind_combo.setCurrentIndex(0)
        self.factor_combo.setCurrentIndex(0)
        for widget in (self.search_edit, self.kind_combo, self.factor_combo):
            widget.blockSignals(False)
        self.refresh_library()
        self.sections.setCurrentWidget(self.library_tab)
        anchor = f"tip-{tip_id}"
        self.library_view.scrollToAnchor(anchor)
        QTimer.singleShot(0, lambda: self.library_view.scrollToAnchor(anchor))  # once laid out

    def highlighted_tip(self) -> str | None:
        return self._highlight

    def shown_ids(self) -> list[str]:
        return [m.tip.id for m in self.matches]
