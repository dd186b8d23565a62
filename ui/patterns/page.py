"""The Patterns page: one date range drives plain-language findings and every chart.

matplotlib is heavy (about half a second to import), so this module does not import it: the
charts are created in the first showEvent, and app start-up never pays for them. Aggregation
runs in SQL (tracker.analysis.aggregates); results are kept per date range, so going back to a
range already seen only redraws. A save, edit, delete or undo updates every kept range by the
episode it changed (aggregates.apply_changes: one week's bar, not the whole history), and only
the charts whose numbers changed are drawn again. What cannot be updated that way is aggregated
again in a background thread while the charts on screen stay as they were.
"""

from __future__ import annotations

import contextlib
import functools
import html
import threading
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tracker.analysis import aggregates, insights
from tracker.diary import vocab
from tracker.diary.periods import ALL, CUSTOM, Period, preset_period
from tracker.store import StoreError
from ui.patterns import warmup
from ui.widgets import theme
from ui.widgets.dates import edit_format, short_date, to_date

RANGES = tuple((code, vocab.PERIODS[code]) for code in ("30d", "3m", "12m", ALL, CUSTOM))
DEFAULT_RANGE = "3m"
RENAMED_RANGES = {"90d": "3m"}  # saved by earlier versions
SETTING_KEY = "patterns.range"
COLUMNS = 2
NARROW_WIDTH = 1040  # below this page width the charts stack in one column
PRECOMPUTE_DELAY_MS = 300  # let the first charts paint before the background work starts
# A finding about chance says it in words; its exact figures are one click (or a hover) away.
FIGURES_LINK = "#figures"
SHOW_FIGURES = "Show the figures"
HIDE_FIGURES = "Hide the figures"
FIGURES_NAME = "findingFigures"


def period_for(key: str, today: date, first: date | None = None, last: date | None = None):
    """The Period a range choice stands for, ending today (custom: the chosen dates)."""
    if key == ALL:
        return Period()  # open at both ends: an episode logged in a zone ahead still counts
    if key == CUSTOM:
        first, last = first or today, last or today
        return Period(min(first, last), max(first, last))
    return preset_period(RENAMED_RANGES.get(key, key), today)


class PatternsPage(QWidget):
    """Findings above, charts below, all for the chosen date range."""

    tips_requested = Signal(str)  # an insight key; the tips feature may show matching advice
    refreshed = Signal()
    _aggregated = Signal()  # from the background thread: new ranges are in the cache

    def __init__(self, store, parent=None, today=date.today, precompute=True):
        super().__init__(parent)
        self.store = store
        self._today = today
        # period -> (data, findings); findings None until the range is shown (built on demand)
        self._cache: dict[Period, tuple[aggregates.PatternData, list[insights.Insight] | None]] = {}
        self._generation = 0  # bumped whenever cached results stop being valid
        self._revision = store.revision if store is not None else 0  # the cache's Store.revision
        # ... and its Store.checkin_revision: the check-ins and medicines it shows
        self._checkin_revision = store.checkin_revision if store is not None else 0
        self.precompute = precompute
        self._worker: threading.Thread | None = None
        self._inflight: set[tuple[int, Period]] = set()  # (generation, period) being aggregated
        self._threads_fail = False  # the diary cannot be opened from a thread: aggregate here
        self.updating = False  # the range on screen is being aggregated: the charts are old
        self._insights_shown: list[tuple[str, str, str, str | None]] | None = None  # labels say
        self._dates_shown: dict[date, str] = {}  # short_date texts (QLocale takes ~4 ms each)
        self.cards = []
        self.data: aggregates.PatternData | None = None
        self.current_insights: list[insights.Insight] = []
        self._charts_built = False
        self._waiting_for_charts = False  # the first show waits for the chart modules
        self._columns = COLUMNS
        self._dirty = True
        self._aggregated.connect(self._background_done)

        self.range_combo = QComboBox()
        self.range_combo.setAccessibleName("Date range")
        for key, text in RANGES:
            self.range_combo.addItem(text, key)
        saved = store.get_setting(SETTING_KEY, DEFAULT_RANGE) if store else DEFAULT_RANGE
        saved = RENAMED_RANGES.get(saved, saved)
        index = self.range_combo.findData(saved if saved != "custom" else DEFAULT_RANGE)
        self.range_combo.setCurrentIndex(max(index, 0))
        self.range_combo.currentIndexChanged.connect(self._range_changed)

        today_q = QDate.currentDate()
        self.from_edit = QDateEdit(today_q.addDays(-89))
        self.to_edit = QDateEdit(today_q)
        for edit, name in ((self.from_edit, "From date"), (self.to_edit, "To date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(edit_format())
            edit.setAccessibleName(name)
            edit.dateChanged.connect(self._custom_changed)
        self.summary = QLabel()
        self.summary.setAccessibleName("Range summary")

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show:"))
        bar.addWidget(self.range_combo)
        self.from_label = QLabel("from")
        self.to_label = QLabel("to")
        for widget in (self.from_label, self.from_edit, self.to_label, self.to_edit):
            bar.addWidget(widget)
        bar.addSpacing(12)
        bar.addWidget(self.summary, 1)
        self._show_custom(False)

        self.insight_box = QFrame()
        self.insight_box.setObjectName("insights")
        self.insight_layout = QVBoxLayout(self.insight_box)
        theme.follow_palette(self.insight_box, self._recolour)
        self.insight_layout.setSpacing(6)

        self.grid = QGridLayout()
        self.grid.setSpacing(10)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        heading = QLabel("What your log shows")
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        content_layout.addWidget(heading)
        content_layout.addWidget(self.insight_box)
        content_layout.addLayout(self.grid)
        content_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.scroll_area, 1)

    # ----------------------------------------------------------------- range
    @property
    def range_key(self) -> str:
        return self.range_combo.currentData()

    def set_range(self, key: str) -> None:
        self.range_combo.setCurrentIndex(self.range_combo.findData(key))

    def set_custom_range(self, first: date, last: date) -> None:
        for edit, value in ((self.from_edit, first), (self.to_edit, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(value.year, value.month, value.day))
            edit.blockSignals(False)
        if self.range_key == "custom":
            self.refresh()
        else:
            self.set_range("custom")

    def period(self) -> Period:
        return period_for(
            self.range_key,
            self._today(),
            to_date(self.from_edit.date()),
            to_date(self.to_edit.date()),
        )

    def _show_custom(self, on: bool) -> None:
        for widget in (self.from_label, self.from_edit, self.to_label, self.to_edit):
            widget.setVisible(on)

    def _range_changed(self) -> None:
        key = self.range_key
        self._show_custom(key == "custom")
        if self.store is not None and not self.store.readonly:
            self.store.set_setting(SETTING_KEY, key)
        self.refresh()

    def _custom_changed(self) -> None:
        if self.range_key == "custom":
            self.refresh()

    # ----------------------------------------------------------------- data
    def set_store(self, store) -> None:
        """The episodes changed (or another diary was opened): bring the charts up to date."""
        if store is not None and store is self.store and self._update_by_changes():
            return
        self.store = store
        self.reload()

    def reload(self) -> None:
        """The episodes changed: forget every cached range; redraw now if visible."""
        self.reload_cache()
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def reload_cache(self) -> None:
        """Forget every cached range (the store cannot say what changed)."""
        self._generation += 1
        self._revision = self.store.revision if self.store is not None else 0
        self._checkin_revision = self.store.checkin_revision if self.store is not None else 0
        self._cache = {}  # a new dict: a worker still filling the old one cannot add stale data

    def _show_updating(self, on: bool) -> None:
        """While the range on screen is aggregated its old numbers stay, greyed, and the
        summary says so: nothing old reads as the new range."""
        self.updating = on
        if on:
            self.summary.setText("Updating…")
        self.insight_box.setEnabled(not on)
        for card in self.cards:
            card.setEnabled(not on)

    def _update_by_changes(self) -> bool:
        """Update every cached range by the episodes changed since it was made; False when the
        store cannot say what changed (an import, a restore): then everything is read again.

        A range that cannot be updated (it became empty, or its span now needs other bars) is
        dropped; if it is the one on screen, it is aggregated again in a background thread and
        swapped in when ready, the charts staying as they are meanwhile.
        """
        if not self._catch_up():
            return False
        self._dirty = True
        if not self.isVisible():
            return True
        period = self.period()
        if period in self._cache or not self._charts_built or self.data is None:
            self.refresh()
        else:
            self._aggregate_in_thread([period], self._today())
        return True

    def _catch_up(self) -> bool:
        """Apply the episode changes since the cache was made to every kept range; False when
        the store cannot say what changed."""
        changes = self.store.changes_since(self._revision)
        if changes is None:
            return False
        self._revision = self.store.revision
        if not changes:
            return True  # only settings were written
        self._generation += 1  # a worker's results may predate these changes: drop them
        cache: dict[Period, tuple[aggregates.PatternData, list[insights.Insight] | None]] = {}
        months: dict = {}  # months read again, shared by the ranges
        for period, (data, found) in self._cache.items():
            new = aggregates.apply_changes(self.store, data, changes, months)
            if new is data:
                cache[period] = (data, found)
            elif new is not None:
                cache[period] = (new, None)  # its findings are made when it is shown
        self._cache = cache  # a new dict, as in reload
        return True

    def checkins_changed(self) -> None:
        """A check-in or medicine was written: the kept ranges take the new ones (the episode
        counts stay), and only the charts that show them are drawn again."""
        if self.store is None or not self._catch_up_checkins():
            return
        self._dirty = True
        if self.isVisible() and self.period() in self._cache:
            self.refresh()

    def _catch_up_checkins(self) -> bool:
        """Read the check-ins and medicines again for every kept range if they were written
        since (``Store.checkin_revision``); False when they were not."""
        if self.store is None or self.store.checkin_revision == self._checkin_revision:
            return False
        self._checkin_revision = self.store.checkin_revision
        kept = list(self._cache.items())
        updated = aggregates.with_checkins(self.store, [data for _, (data, _f) in kept])
        self._cache = {  # a new dict, as in reload
            period: (new, found) for (period, (_old, found)), new in zip(kept, updated, strict=True)
        }
        return True

    def _background_done(self) -> None:
        """A background thread filled the cache (or could not open the diary): show the range
        on screen if it was waiting."""
        if not (self._dirty and self.isVisible()):
            return
        if self.period() in self._cache or self._threads_fail:
            self.refresh()

    def compute(self, period: Period) -> tuple[aggregates.PatternData, list[insights.Insight]]:
        """Aggregates and findings for a period, from the cache when this range was seen."""
        if self.store is not None and self.store.revision != self._revision:
            # written since (a setting, or episodes without episodes_changed yet)
            if not self._catch_up():
                self.reload_cache()
        self._catch_up_checkins()
        today = self._today()
        cached = self._cache.get(period)
        if cached is None:
            cached = (aggregates.patterns(self.store, period, today=today), None)
        data, found = cached
        if found is None:
            found = insights.build(data, today)
        self._cache[period] = (data, found)
        return data, found

    def refresh(self) -> None:
        """Show the chosen range: at once from the cache, else aggregated in a thread while
        the page says it is updating (the old charts stay, marked as not current)."""
        if self.store is None:
            return
        if not self._charts_built:
            self._dirty = True
            return
        period = self.period()
        if self.store.revision != self._revision and not self._catch_up():
            self.reload_cache()
        self._catch_up_checkins()
        if period not in self._cache and not self._threads_fail:
            self._dirty = True
            self._show_updating(True)
            self._aggregate_in_thread([period], self._today())
            return
        data, self.current_insights = self.compute(period)
        self.data = data
        self._dirty = False
        self._show_updating(False)
        self._show_summary(period, data)
        shown = [(f.kind, f.text, f.details, f.key) for f in self.current_insights]
        if shown != self._insights_shown:  # a save mostly changes no finding's words
            self._show_insights()
            self._insights_shown = shown
        for card in self.cards:
            card.show_data(data)
        self.refreshed.emit()
        if self.precompute and (self._worker is None or not self._worker.is_alive()):
            QTimer.singleShot(PRECOMPUTE_DELAY_MS, self._start_precompute)

    # ----------------------------------------------------------------- background work
    def _start_precompute(self) -> None:
        """Aggregate the other preset ranges in a thread, so switching to them only redraws.

        With 100,000 episodes "All time" takes about half a second of SQL; done ahead on its
        own read-only connection (SQLite lets go of the GIL while it works), the switch costs
        only the drawing. Results are dropped if the episodes changed meanwhile.
        """
        if self.store is None or self._worker is not None and self._worker.is_alive():
            return
        today = self._today()
        periods = [period_for(key, today) for key, _ in RANGES if key != "custom"]
        self._worker = self._aggregate_in_thread(periods, today)

    def _aggregate_in_thread(self, periods: list[Period], today: date):
        """Fill the cache for these periods from a thread; the Thread, or None if nothing to do
        (each is cached, or already being aggregated)."""
        generation, inflight = self._generation, self._inflight
        periods = [p for p in periods if p not in self._cache and (generation, p) not in inflight]
        if not periods or self.store is None:
            return None
        cache = self._cache
        store, revision = self.store, self._revision
        checkin_revision = self._checkin_revision
        inflight.update((generation, p) for p in periods)

        def announce() -> None:
            with contextlib.suppress(
                RuntimeError, TypeError
            ):  # the page was closed meanwhile (either error)
                self._aggregated.emit()  # queued: the page picks it up on the UI thread

        def work() -> None:
            try:
                reader = store.reader()  # its own connection, the file not checked again
            except StoreError:  # e.g. an older file not yet upgraded: aggregate on demand
                self._threads_fail = True
                inflight.difference_update((generation, p) for p in periods)
                announce()
                return
            try:
                for period in periods:
                    if self._generation != generation:
                        return
                    data = aggregates.patterns(reader, period, today=today)
                    result = (data, insights.build(data, today))
                    if (
                        self._generation == generation
                        and store.changes_since(revision) == []
                        and store.checkin_revision == checkin_revision
                        and self._cache is cache
                    ):
                        cache.setdefault(period, result)
                    inflight.discard((generation, period))
                    if self._generation == generation:
                        announce()
            finally:
                inflight.difference_update((generation, p) for p in periods)
                reader.close()

        thread = threading.Thread(target=work, name="patterns-aggregate", daemon=True)
        thread.start()
        return thread

    def prepare(self) -> None:
        """Aggregate the remembered range in a thread before the page is first shown (start-up
        calls this once the history is on screen), so the first switch finds it kept."""
        if self.store is None or self._charts_built or self.isVisible():
            return
        self._aggregate_in_thread([self.period()], self._today())

    def wait_for_precompute(self, timeout: float | None = None) -> None:
        if self._worker is not None:
            self._worker.join(timeout)

    def _show_summary(self, period: Period, data: aggregates.PatternData) -> None:
        n = data.total
        episodes = f"{n:,} episode{'' if n == 1 else 's'}"
        if period.first is None:
            if n and data.first_date and data.last_date:  # set whenever there are episodes
                first, last = (
                    date.fromisoformat(data.first_date),
                    date.fromisoformat(data.last_date),
                )
                span = f" from {self._short_date(first)} to {self._short_date(last)}"
            else:
                span = " in your log"
        else:
            last = period.last or self._today()  # every range ends on a day; open means today
            span = f" from {self._short_date(period.first)} to {self._short_date(last)}"
        self.summary.setText(episodes + span)

    def _short_date(self, day: date) -> str:
        text = self._dates_shown.get(day)
        if text is None:
            if len(self._dates_shown) > 64:
                self._dates_shown.clear()
            text = self._dates_shown[day] = short_date(day)
        return text

    def _show_insights(self) -> None:
        while self.insight_layout.count():
            item = self.insight_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # at once: deleteLater waits for the event loop
                widget.deleteLater()
        for finding in self.current_insights:
            text = html.escape(finding.text)
            if finding.kind == "note":
                text = f"<i>{text}</i>"
            else:
                text = f"&bull; {text}"
            figures = None
            if finding.details:
                figures = QLabel(finding.details)
                figures.setTextFormat(Qt.TextFormat.PlainText)
                figures.setWordWrap(True)
                figures.setAccessibleName("Figures behind this finding")
                figures.setObjectName(FIGURES_NAME)
                figures.setStyleSheet(self._figures_style())
                figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                figures.hide()
                text += f' &nbsp;<a href="{FIGURES_LINK}">{SHOW_FIGURES}</a>'
            if finding.key:
                text += f' &nbsp;<a href="{html.escape(finding.key)}">Tips</a>'
            label = QLabel(text)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
            label.setOpenExternalLinks(False)
            label.linkActivated.connect(
                lambda href, label=label, figures=figures: self._link(href, label, figures)
            )
            label.setAccessibleName("Finding")
            if figures is not None:
                label.setToolTip(finding.details)
                label.setAccessibleDescription(finding.details)
            self.insight_layout.addWidget(label)
            if figures is not None:
                self.insight_layout.addWidget(figures)

    @staticmethod
    def _figures_style() -> str:
        muted = theme.notice_colors(theme.app_palette(), "tip")["muted"]
        return f"QLabel {{ color: {muted.name()}; margin-left: 14px; }}"

    def _recolour(self) -> None:
        """The findings box and its figures take their colours from the palette."""
        self.insight_box.setStyleSheet(theme.box_style(theme.app_palette(), "tip", "#insights"))
        for figures in self.insight_box.findChildren(QLabel, FIGURES_NAME):
            figures.setStyleSheet(self._figures_style())

    def _link(self, href: str, label: QLabel, figures: QLabel | None) -> None:
        """A finding's links: its figures shown or hidden in place, or the tips for its key."""
        if href != FIGURES_LINK:
            self.tips_requested.emit(href)
            return
        if figures is None:
            return
        show = figures.isHidden()
        figures.setVisible(show)
        old, new = (SHOW_FIGURES, HIDE_FIGURES) if show else (HIDE_FIGURES, SHOW_FIGURES)
        label.setText(label.text().replace(f">{old}</a>", f">{new}</a>"))

    # ----------------------------------------------------------------- charts
    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._charts_built:
            # The SQL for the first range runs in a thread while matplotlib is imported in
            # another (ui/patterns/warmup.py, usually done by now); the charts are built once
            # it is, and filled once the SQL is done ("Updating…" until then).
            self._aggregate_in_thread([self.period()], self._today())
            if not self._waiting_for_charts:
                self._waiting_for_charts = True
                if self.data is None:
                    self._show_updating(True)
                warmup.when_ready(self._charts_ready)
        elif self._dirty:
            self.refresh()

    def _charts_ready(self) -> None:
        """The chart modules are imported: create the cards, and fill them once laid out."""
        self._waiting_for_charts = False
        if not self._charts_built:
            self.build_charts()
        # Fill the charts once the new cards are laid out, so that only the ones really on
        # screen are built and rendered.
        QTimer.singleShot(0, self._refresh_if_dirty)

    def _refresh_if_dirty(self) -> None:
        # Lay the new cards out now, so each knows whether it is on screen before drawing.
        for _ in range(2):
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        if self._dirty:
            self.refresh()

    def build_charts(self) -> None:
        """Create the chart cards (importing matplotlib here if ui/patterns/warmup.py has not)."""
        from tracker.charts.catalog import CHARTS, chart_inputs
        from ui.patterns.chart_card import ChartCard

        for key, title, function in CHARTS:
            inputs = functools.partial(chart_inputs, key)
            self.cards.append(ChartCard(key, title, function, inputs=inputs))
        self._charts_built = True
        self._arrange(self._columns_for(self.width()))

    @staticmethod
    def _columns_for(width: int) -> int:
        """Two charts side by side when each gets at least ~500 px, else one under another."""
        return COLUMNS if width >= NARROW_WIDTH else 1

    def _arrange(self, columns: int) -> None:
        self._columns = columns
        # Top-aligned, each card keeps its own height: one showing its numbers table grows
        # without stretching its neighbour into an empty grey frame.
        for i, card in enumerate(self.cards):
            self.grid.addWidget(card, i // columns, i % columns, Qt.AlignmentFlag.AlignTop)
        for column in range(COLUMNS):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self._charts_built and self._columns_for(self.width()) != self._columns:
            self._arrange(self._columns_for(self.width()))

    def up_to_date(self) -> bool:
        """The chosen range is on screen: aggregated, and every chart in view drawn for it
        (screenshots and benchmarks wait for this; the work runs in threads)."""
        if self.updating or self._dirty or self.data is None:
            return False
        if self.data.period != self.period():
            return False
        return all(
            card.is_current() for card in self.cards if not card.canvas.visibleRegion().isEmpty()
        )

    def card(self, key: str):
        return next(card for card in self.cards if card.key == key)
