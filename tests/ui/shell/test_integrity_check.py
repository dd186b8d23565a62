"""The background integrity check: a diary opened without the full check is checked in a
thread, and damage reaches the person as a clear message while the window stays usable."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tests.tracker.store.test_integrity_on_open import make_diary, rot_quietly
from tracker.store import Store
from tracker.store.opening import clean_marker
from ui.shell.integrity_check import TITLE, start_if_needed


def test_damage_found_in_the_background_is_shown(qtbot, tmp_path):
    path = tmp_path / "cramps.sqlite"
    make_diary(path)
    rot_quietly(path)
    store = Store.open(path)
    window = QWidget()
    qtbot.addWidget(window)
    try:
        check = start_if_needed(store, window)
        assert check is not None
        check.wait(10)
        assert not check.worker.is_alive()
        qtbot.waitUntil(lambda: check.box is not None and check.box.isVisible(), timeout=5_000)
        assert check.box.windowTitle() == TITLE
        text = check.box.text()
        assert str(path) in text and "damaged" in text and "backup" in text
        assert "Restore from backup" in check.box.informativeText()
        assert check.box.windowModality() != Qt.WindowModality.ApplicationModal
    finally:
        store.close()
    assert not clean_marker(path).exists()  # the next open checks it and refuses it


def test_nothing_to_do_when_the_open_already_checked(qtbot, tmp_path):
    path = tmp_path / "cramps.sqlite"
    make_diary(path, episodes=3)
    clean_marker(path).unlink()  # not closed cleanly: the open checks it itself
    with Store.open(path) as store:
        window = QWidget()
        qtbot.addWidget(window)
        assert store.checked_on_open and start_if_needed(store, window) is None


def test_an_intact_diary_shows_nothing(qtbot, tmp_path):
    path = tmp_path / "cramps.sqlite"
    make_diary(path, episodes=3)
    with Store.open(path) as store:
        window = QWidget()
        qtbot.addWidget(window)
        check = start_if_needed(store, window)
        assert check is not None
        check.wait(10)
        assert not check.worker.is_alive()
        qtbot.wait(50)
        assert check.box is None
    assert clean_marker(path).exists()
