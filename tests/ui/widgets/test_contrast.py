"""Text reads in light and in dark: every page and dialog, measured from the pixels.

Each page (History with rows, Patterns with data and charts, Tips with the doctor banner and a
tip suggestion showing) and each dialog is rendered under View > Appearance > Light and Dark;
every visible label and button must keep 4.5:1 (3:1 for large text) against the background it
is drawn on. Hints and disabled labels too. A widget that hard-codes a light background while
its text comes from a dark palette fails here (see test_a_hard_coded_light_background_fails).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import matplotlib.text
import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QLabel, QTextBrowser

from tests.factories import make_episode
from tests.ui.contrast import AA_NORMAL, document_readings, ratio, readings, unreadable
from tracker.diary import demo
from ui.shell import appearance
from ui.shell.main_window import MainWindow
from ui.widgets import theme

SCHEMES = ["light", "dark"]


@pytest.fixture
def diary(store):
    store.add_episodes(demo.generate(160, seed=7, until=date.today()))
    # a recent warning sign, so the doctor banner shows
    recent = datetime.now().astimezone() - timedelta(hours=2)
    store.add_episode(make_episode(started_at=recent, severity=9, warning_signs=("numbness",)))
    return store


@pytest.fixture(autouse=True)
def back_to_system(qapp):
    yield
    appearance.apply("system")


def settle(qtbot, ms: int = 30) -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.wait(ms)


@pytest.fixture
def window(qtbot, diary, settings):
    win = MainWindow(diary, settings, install_features=True)
    qtbot.addWidget(win)
    win.resize(1280, 860)
    win.show()
    qtbot.waitExposed(win)
    return win


def in_scheme(win, scheme: str) -> None:
    win.appearance.choose(scheme)
    assert theme.is_dark(theme.app_palette()) == (scheme == "dark")


def check(top) -> None:
    failures = unreadable(readings(top))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_history_page_reads(qtbot, window, scheme):
    in_scheme(window, scheme)
    window.tabs.setCurrentWidget(window.history)
    settle(qtbot)
    assert window.tips_feature.banner.isVisible()  # the demo diary has reasons to see a doctor
    window.tips_feature.suggestion.show_for(next(iter(demo.generate(1, seed=3))))
    window.tips_feature.banner.details_button.setChecked(True)
    window.tips_feature.suggestion.details_button.setChecked(True)
    settle(qtbot)
    assert window.tips_feature.suggestion.isVisible()
    check(window)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_patterns_page_and_its_charts_read(qtbot, window, scheme):
    in_scheme(window, scheme)
    page = window.patterns_page
    with qtbot.waitSignal(page.refreshed, timeout=20_000):
        window.tabs.setCurrentWidget(page)
    for label in page.insight_box.findChildren(QLabel):
        if "Show the figures" in label.text():
            label.linkActivated.emit("#figures")
            break
    qtbot.waitUntil(lambda: page.cards[0].canvas.renders > 0, timeout=10_000)
    settle(qtbot)
    check(window)
    for card in page.cards:
        card.ensure_built()
        figure = card.figure
        background = tuple(round(255 * c) for c in figure.get_facecolor()[:3])
        assert (sum(background) < 3 * 128) == (scheme == "dark"), card.key
        card.canvas.draw()  # tick labels are made while drawing
        for text in figure.findobj(matplotlib.text.Text):
            if not text.get_visible() or not text.get_text().strip():
                continue
            colour = tuple(round(255 * c) for c in matplotlib.colors.to_rgb(text.get_color()))
            assert ratio(colour, background) >= AA_NORMAL, (card.key, text.get_text(), colour)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_tips_page_reads(qtbot, window, scheme):
    in_scheme(window, scheme)
    page = window.tips_feature.page
    window.tabs.setCurrentWidget(page)
    settle(qtbot)
    check(window)
    failures = []
    for index in range(page.sections.count()):
        page.sections.setCurrentIndex(index)
        settle(qtbot)
        for view in page.findChildren(QTextBrowser):
            if view.isVisible():
                failures += unreadable(document_readings(view))
    assert not failures, "\n".join(failures)


def _log_form(win):
    dialog = win.open_log_dialog()
    dialog.form.set_details_visible(True)
    dialog.form.show_errors({"started_at": "That time is in the future."})
    dialog.form.set_duration(40 * 60)  # the "unusually long" warning
    return dialog


def _report(win):
    from ui.report.dialog import ReportDialog

    return ReportDialog(win.store, win)


def _export(win):
    from ui.data.export_dialog import ExportDialog

    return ExportDialog(win.store, win)


def _import(win):
    from ui.data.import_dialog import ImportDialog

    return ImportDialog(win.store, win)


def _backup(win):
    from ui.data.backup_dialog import BackupDialog

    return BackupDialog(win)


def _profile(win):
    from ui.tips.profile_dialog import ProfileDialog

    return ProfileDialog(win.store, win)


def _shortcuts(win):
    from ui.shell.shortcuts_dialog import ShortcutsDialog

    return ShortcutsDialog(win)


DIALOGS = {
    "log form": _log_form,
    "report": _report,
    "export": _export,
    "import": _import,
    "backup": _backup,
    "profile": _profile,
    "shortcuts": _shortcuts,
}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", list(DIALOGS))
def test_dialog_reads(qtbot, window, scheme, name):
    in_scheme(window, scheme)
    dialog = DIALOGS[name](window)
    dialog.show()
    qtbot.waitExposed(dialog)
    settle(qtbot)
    try:
        assert theme.is_dark(dialog.palette()) == (scheme == "dark")
        check(dialog)
    finally:
        dialog.close()


def test_disabled_hint_labels_read(qtbot, window):
    """The log bar's hint is disabled text: still readable, in both schemes."""
    hints = [
        label
        for label in window.findChildren(QLabel)
        if not label.isEnabled() and label.text().startswith("Cramp right now")
    ]
    assert hints
    for scheme in SCHEMES:
        in_scheme(window, scheme)
        settle(qtbot)
        found = [r for r in readings(window) if r.widget is hints[0]]
        assert found and not unreadable(found), [str(r) for r in found]


@pytest.mark.parametrize("background", ["#fff4ce", "#fdf0f0"])
def test_a_hard_coded_light_background_fails(qtbot, window, background):
    """The check catches what this issue was about: a light background kept in a dark theme."""
    in_scheme(window, "dark")
    window.tabs.setCurrentWidget(window.tips_feature.page)
    window.tips_feature.page.disclaimer.setStyleSheet(f"QLabel {{ background: {background}; }}")
    settle(qtbot)
    failures = unreadable(readings(window))
    assert any("Not a diagnosis" in f for f in failures), failures
