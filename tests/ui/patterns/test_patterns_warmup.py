"""The chart modules are imported in a thread after start-up; the page never waits on them."""

import subprocess
import sys
import threading

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.ui.patterns.test_patterns_page import ROOT, TODAY, fill
from tracker.charts.catalog import CHARTS
from ui.patterns import warmup
from ui.patterns.page import PatternsPage

START_UP = """
import sys, threading, time
importers = []

class Spy:  # who imports matplotlib: it must not be the UI thread
    def find_spec(self, name, path=None, target=None):
        if name == "matplotlib":
            importers.append(threading.current_thread().name)
        return None

sys.meta_path.insert(0, Spy())
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
import ui.shell.main_window
from tracker.store import Store
from ui.patterns import warmup
store = Store.open(sys.argv[1])
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
window = ui.shell.main_window.MainWindow(store, settings)
window.show()
app.processEvents()
print("at start-up", "matplotlib" in sys.modules)
deadline = time.monotonic() + 60
while not warmup.loaded() and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.01)
page = window.patterns_page
while page.period() not in page._cache and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.01)
print("importers", ",".join(importers))
print("range read ahead", page.period() in page._cache, "charts built", bool(page.cards))
import gc
print("collecting", gc.isenabled(), "matplotlib frozen", gc.get_freeze_count() > 50_000)
"""


def test_the_chart_modules_are_imported_after_start_up_off_the_ui_thread(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", START_UP, str(tmp_path / "db.sqlite"), str(tmp_path / "s.ini")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert "at start-up False" in lines  # the first paint never pays for it
    assert "importers patterns-warmup" in lines  # imported once, by the warm-up thread
    assert "range read ahead True charts built False" in lines  # nothing built until shown
    # no collection while importing; what the imports made is then frozen, and collection on
    assert "collecting True matplotlib frozen True" in lines


def test_a_first_show_before_the_warm_up_ends_waits_for_it(qtbot, store, monkeypatch):
    """Shown while the imports are still going: the page says it is updating and builds its
    charts once they are done, instead of importing on the UI thread."""
    fill(store, [1, 2, 3, 40])
    gate = threading.Event()
    importers: list[threading.Thread] = []

    def slow_imports() -> None:
        importers.append(threading.current_thread())
        gate.wait(20)

    monkeypatch.setattr(warmup, "_import_all", slow_imports)
    monkeypatch.setattr(warmup, "_thread", None)
    monkeypatch.setattr(warmup, "_done", threading.Event())
    monkeypatch.setattr(warmup, "MODULES", (*warmup.MODULES, "tests_never_imported_module"))
    assert not warmup.loaded()

    page = PatternsPage(store, today=lambda: TODAY, precompute=False)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitUntil(lambda: page.period() in page._cache, timeout=10_000)  # SQL meanwhile
    qtbot.wait(50)
    assert page.cards == [] and page.summary.text() == "Updating…"
    assert importers and importers[0] is not threading.main_thread()

    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        gate.set()
    assert len(page.cards) == len(CHARTS) and page.data.total == 4
    qtbot.waitUntil(page.up_to_date, timeout=10_000)
    assert page.cards[0].canvas.renders > 0
    with qtbot.waitSignal(page.refreshed, timeout=10_000):  # and it goes on working
        page.set_range("30d")
    qtbot.waitUntil(page.up_to_date, timeout=10_000)
    assert page.data.total == 3


def test_a_page_closed_before_the_warm_up_ends_is_left_alone(qtbot, store, monkeypatch):
    gate = threading.Event()
    monkeypatch.setattr(warmup, "_import_all", lambda: gate.wait(20))
    monkeypatch.setattr(warmup, "_thread", None)
    monkeypatch.setattr(warmup, "_done", threading.Event())
    monkeypatch.setattr(warmup, "MODULES", (*warmup.MODULES, "tests_never_imported_module"))
    page = PatternsPage(store, today=lambda: TODAY, precompute=False)
    page.show()
    page.close()
    page.deleteLater()
    qtbot.wait(20)
    built = []
    warmup.when_ready(lambda: built.append(True))
    gate.set()
    qtbot.waitUntil(lambda: built == [True], timeout=10_000)  # the deleted page was skipped


def test_switching_to_patterns_by_its_shortcut_shows_the_range_read_ahead(qtbot, store, settings):
    from ui.shell.main_window import MainWindow

    fill(store, [1, 2, 3])
    window = MainWindow(store, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    page = window.patterns_page
    qtbot.waitUntil(lambda: page.period() in page._cache, timeout=10_000)  # read ahead
    assert not page.cards
    for expected in (3, 4):  # there and back, twice, with a new episode in between
        with qtbot.waitSignal(page.refreshed, timeout=10_000):
            QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
        assert window.tabs.currentWidget() is page and page.data.total == expected
        qtbot.waitUntil(page.up_to_date, timeout=10_000)
        QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
        assert window.tabs.currentWidget() is window.history
        fill(store, [4])
        window.episodes_changed.emit()
