"""History search and filters as a person uses them: what is found, which cells say why, and
how not-recorded values, long cramps and rough times look, on light and dark palettes."""

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from tests.factories import TZ, make_episode
from tests.time_zone import machine_zone
from tests.ui.history_helpers import fill_varied
from tracker.diary.episode import NOT_RECORDED
from tracker.store import NOT_RECORDED_CODE, HistoryFilter
from ui.history.model import (
    APPROXIMATE_MARK,
    COLUMNS,
    LONG_TIP,
    MATCH_ROLE,
    MATCH_TIP,
    MISSING,
    HistoryModel,
    contrast,
    match_colors,
    muted_color,
)
from ui.history.page import HistoryPage
from ui.widgets.dates import date_time, short_date, short_time

COLUMN = {key: c for c, (_, key) in enumerate(COLUMNS)}


def dark_palette() -> QPalette:
    """The usual dark Fusion palette of Qt applications."""
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: QColor(53, 53, 53),
        QPalette.ColorRole.WindowText: QColor(235, 235, 235),
        QPalette.ColorRole.Base: QColor(35, 35, 35),
        QPalette.ColorRole.AlternateBase: QColor(45, 45, 45),
        QPalette.ColorRole.Text: QColor(235, 235, 235),
        QPalette.ColorRole.Button: QColor(53, 53, 53),
        QPalette.ColorRole.ButtonText: QColor(235, 235, 235),
        QPalette.ColorRole.Highlight: QColor(42, 130, 218),
        QPalette.ColorRole.HighlightedText: QColor(255, 255, 255),
        QPalette.ColorRole.ToolTipBase: QColor(53, 53, 53),
        QPalette.ColorRole.ToolTipText: QColor(235, 235, 235),
    }
    for role, color in roles.items():
        palette.setColor(role, color)
    return palette


@pytest.fixture(params=["default", "dark"])
def palette_name(request, qapp):
    """Run a test with the default palette, then with a dark Fusion palette."""
    saved_palette, saved_style = qapp.palette(), qapp.style().name()
    if request.param == "dark":
        qapp.setStyle(QStyleFactory.create("Fusion"))
        qapp.setPalette(dark_palette())
    yield request.param
    qapp.setStyle(QStyleFactory.create(saved_style))
    qapp.setPalette(saved_palette)


@pytest.fixture
def page(qtbot, store):
    fill_varied(store)
    widget = HistoryPage(store)
    qtbot.addWidget(widget)
    widget.resize(1500, 560)
    widget.show()
    return widget


def search(page, text):
    page.search.setText(text)
    page.apply_filter()


def cells(model, row):
    return {key: model.data(model.index(row, c)) for key, c in COLUMN.items()}


# ----------------------------------------------------------------------------- search
def test_search_finds_labels_and_marks_every_matching_cell(page):
    """ "walk" finds activity and relief "Walking", warning "Hard to walk afterwards" and notes;
    exactly the cells that show the word are marked, in every row found."""
    model = page.model
    search(page, "WALK")
    assert 0 < model.rowCount() < 12
    seen = set()
    for row in range(model.rowCount()):
        marked = set()
        for key, column in COLUMN.items():
            index = model.index(row, column)
            shows_word = "walk" in model.data(index).lower()
            assert model.data(index, MATCH_ROLE) is shows_word, (row, key)
            if shows_word:
                marked.add(key)
                assert model.data(index, Qt.ItemDataRole.ToolTipRole).startswith(MATCH_TIP)
                assert model.data(index, Qt.ItemDataRole.FontRole).bold()
        assert marked, f"row {row} was found but shows no match"
        seen |= marked
    assert {"activity", "relief", "warning_signs", "notes"} <= seen
    search(page, "")
    assert model.rowCount() == 12
    assert not any(model.data(model.index(0, c), MATCH_ROLE) for c in COLUMN.values())


@pytest.mark.parametrize(
    "text, column, shown",
    [
        ("heel", "footwear", "High heels"),
        ("tight", "footwear", "(tight)"),
        ("numb", "warning_signs", "Numbness"),
        ("alcohol", "context", "Alcohol"),
        ("arch", "site", "Sole / arch"),
        ("partly", "relief", "(partly helped)"),
        ("under", "hydration", "Under-hydrated"),
        ("both", "side", "Both"),
        ("banana", "notes", "Banana"),
    ],
)
def test_search_each_labelled_field(page, text, column, shown):
    search(page, text)
    model = page.model
    assert model.rowCount() > 0
    for row in range(model.rowCount()):
        index = model.index(row, COLUMN[column])
        assert shown in model.data(index)
        assert model.data(index, MATCH_ROLE)


def test_search_words_must_all_be_found(page):
    search(page, "walk")
    walking = page.model.rowCount()
    search(page, "walk heels")
    both = page.model.rowCount()
    assert 0 < both < walking
    for row in range(both):
        text = " ".join(cells(page.model, row).values()).lower()
        assert "walk" in text and "heels" in text
    assert page.count_label.text() == f"{both} episode{'s' if both != 1 else ''} shown"


def test_ctrl_f_focuses_the_search_box(window, qtbot):
    page = window.history
    search(page, "old words")
    window.activateWindow()
    page.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.table)
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.search)
    assert page.search.selectedText() == "old words"  # typing replaces the last search
    assert "Ctrl+F" in page.search.placeholderText()


# ----------------------------------------------------------------------------- filters
def test_filters_beside_the_period(page):
    model = page.model

    def shown(column):
        return [model.data(model.index(r, COLUMN[column])) for r in range(model.rowCount())]

    page.severity.setCurrentIndex(page.severity.findData("severe"))
    severities = shown("severity")
    assert severities and all(int(s.split(" / ")[0]) >= 7 for s in severities)
    page.severity.setCurrentIndex(page.severity.findData(NOT_RECORDED_CODE))
    assert shown("severity") and set(shown("severity")) == {MISSING}
    page.severity.setCurrentIndex(0)

    page.site.setCurrentIndex(page.site.findData("toes"))
    assert shown("site") and all("toe" in s.lower() for s in shown("site"))
    page.site.setCurrentIndex(page.site.findData(NOT_RECORDED_CODE))
    assert shown("site") and set(shown("site")) == {MISSING}
    page.site.setCurrentIndex(0)

    page.activity.setCurrentIndex(page.activity.findData(NOT_RECORDED_CODE))
    assert shown("activity") and set(shown("activity")) == {MISSING}
    page.activity.setCurrentIndex(page.activity.findData("walking"))
    assert shown("activity") and set(shown("activity")) == {"Walking"}
    assert page.model.current_filter == HistoryFilter(activity="walking")


def test_filter_choices_name_every_option(page):
    severity = [page.severity.itemText(i) for i in range(page.severity.count())]
    assert severity == [
        "Any",
        "Mild (0-3)",
        "Moderate (4-6)",
        "Severe (7-10)",
        "Not rated",
    ]
    sites = [page.site.itemText(i) for i in range(page.site.count())]
    assert sites[:2] == ["Any", "Toes"] and sites[-1] == NOT_RECORDED
    activities = [page.activity.itemText(i) for i in range(page.activity.count())]
    assert "Walking" in activities and activities[-1] == NOT_RECORDED


def test_show_all_clears_search_and_filters(page):
    assert not page.clear_button.isEnabled()
    page.period.setCurrentIndex(page.period.findData("7d"))
    page.severity.setCurrentIndex(page.severity.findData("mild"))
    page.activity.setCurrentIndex(page.activity.findData("driving"))
    search(page, "nothing matches this")
    assert page.model.rowCount() == 0
    assert page.count_label.text() == "0 episodes shown"  # not "No episodes yet"
    assert page.clear_button.isEnabled()
    page.clear_button.click()
    assert page.model.current_filter == HistoryFilter()
    assert (page.period.currentIndex(), page.severity.currentIndex()) == (0, 0)
    assert page.search.text() == ""
    assert page.model.rowCount() == 12
    assert not page.clear_button.isEnabled()


def test_custom_range_has_its_own_row(page):
    width = page.minimumSizeHint().width()
    page.period.setCurrentIndex(page.period.findData("custom"))
    assert page.date_from.isVisible() and page.range_from.isVisible()
    assert page.minimumSizeHint().width() == width


# ----------------------------------------------------------------------------- how cells look
def test_not_recorded_is_a_muted_dash_never_a_blank(store, palette_name):
    store.add_episode(
        make_episode(
            side=None,
            site=(),
            severity=None,
            activity=None,
            footwear=None,
            hydration=None,
            notes="",
        )
    )
    model = HistoryModel(store)
    model.reload()
    palette = QApplication.palette()
    for key in (
        "side",
        "site",
        "severity",
        "activity",
        "footwear",
        "hydration",
        "relief",
        "context",
        "warning_signs",
    ):
        index = model.index(0, COLUMN[key])
        assert model.data(index) == MISSING, key
        assert model.data(index, Qt.ItemDataRole.ToolTipRole) == NOT_RECORDED
        assert model.data(index, Qt.ItemDataRole.AccessibleTextRole) == NOT_RECORDED
        muted = model.data(index, Qt.ItemDataRole.ForegroundRole)
        assert muted == muted_color(palette)
        assert contrast(muted, palette.color(QPalette.ColorRole.Base)) >= 3.0
    notes = model.index(0, COLUMN["notes"])
    assert model.data(notes) == ""  # no notes is normal, not a gap
    recorded = model.index(0, COLUMN["duration_s"])
    assert model.data(recorded, Qt.ItemDataRole.ForegroundRole) is None


@pytest.mark.parametrize(
    "seconds, shown, flagged",
    [(600, "10 min", False), (601, "⚠ 10 min 1 s", True), (754, "⚠ 12 min 34 s", True)],
)
def test_long_cramps_carry_a_flag(store, seconds, shown, flagged):
    store.add_episode(make_episode(duration_s=seconds))
    model = HistoryModel(store)
    model.reload()
    index = model.index(0, COLUMN["duration_s"])
    assert model.data(index) == shown
    tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert (LONG_TIP in tip) is flagged
    assert LONG_TIP == "Longer than 10 minutes: worth telling a doctor"
    font = model.data(index, Qt.ItemDataRole.FontRole)
    assert (font is not None and font.bold()) is flagged


def test_approximate_time_is_marked(store):
    when = datetime(2026, 3, 10, 3, 0, tzinfo=TZ)
    store.add_episode(make_episode(started_at=when, time_approximate=True))
    store.add_episode(make_episode(started_at=when.replace(hour=4)))
    model = HistoryModel(store)
    model.reload()
    with machine_zone("Etc/GMT-1"):  # UTC+01:00 all year, as logged: no "(UTC+01:00)"
        exact, rough = (model.data(model.index(r, 0)) for r in range(2))
    assert (exact, rough) == (
        date_time(when.replace(hour=4)),
        f"{short_date(when)}, {APPROXIMATE_MARK} {short_time(when)}",
    )
    assert "rough guess" in model.data(model.index(1, 0), Qt.ItemDataRole.ToolTipRole)


def test_match_colours_read_on_the_palette(page, palette_name):
    """A matched cell is painted in a highlight-derived colour that is not the selection's,
    with text that reads on it (WCAG AA), on light and dark palettes alike."""
    palette = QApplication.palette()
    background, text = match_colors(palette)
    assert contrast(text, background) >= 4.5
    assert background != palette.color(QPalette.ColorRole.Highlight)
    if palette_name == "dark":
        assert background.lightness() < 128 and text.lightness() > 128
    search(page, "heel")
    index = page.model.index(0, COLUMN["footwear"])
    assert page.model.data(index, Qt.ItemDataRole.BackgroundRole) == background
    assert page.model.data(index, Qt.ItemDataRole.ForegroundRole) == text
    other = page.model.index(0, COLUMN["side"])
    assert page.model.data(other, Qt.ItemDataRole.BackgroundRole) is None


def test_matched_cell_is_painted_highlighted(page, qtbot, palette_name):
    """What a person sees: the pixels of the matched cell, not only what the model says."""
    search(page, "heel")
    page.table.clearSelection()
    page.table.setFocus()
    qtbot.wait(10)
    image = page.table.viewport().grab().toImage()
    background, _ = match_colors(QApplication.palette())

    def corner(column):
        rect = page.table.visualRect(page.model.index(0, column))
        return image.pixelColor(rect.right() - 2, rect.top() + 2)

    assert corner(COLUMN["footwear"]) == background
    assert corner(COLUMN["side"]) != background
