"""Journey: a diary that rotted on disk while the app was closed (after a clean close, so the
open skips the full check) is checked in the background once the window is up; the person is
told what is wrong and what to do, and the next start refuses the file with the same words.
An intact diary, started twice, shows nothing and stays quick to open."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import key
from tests.tracker.store.test_integrity_on_open import make_diary, rot_quietly
from tracker.store import CorruptDatabaseError
from tracker.store.opening import closed_cleanly
from ui.shell.integrity_check import TITLE, start_if_needed


def test_damage_found_after_start_is_told_then_the_file_is_refused(sessions):
    session = sessions()
    session.db_path.parent.mkdir(parents=True)
    make_diary(session.db_path)
    rot_quietly(session.db_path)
    window = session.open()
    checks = []
    journey = Journey()
    journey.add("pages built", lambda: WaitUntil(lambda: window.history is not None, "pages"))

    def start_check():  # as ui/shell/app.py does once the window is on screen
        checks.append(start_if_needed(session.store, window))
        assert checks[0] is not None, "a clean open must leave the check to the background"
        return WaitUntil(lambda: checks[0].box is not None and checks[0].box.isVisible(), "box")

    journey.add("the background check finds the damage", start_check)

    def read_and_dismiss():
        box = checks[0].box
        assert box.windowTitle() == TITLE
        assert str(session.db_path) in box.text() and "damaged" in box.text()
        assert "Restore from backup" in box.informativeText()
        assert window.isEnabled()  # the window is still usable (e.g. to export)
        key(box, Qt.Key.Key_Escape)
        return WaitUntil(lambda: not box.isVisible(), "the message closed")

    journey.add("read it and close it", read_and_dismiss)
    journey.run()
    session.close()
    assert not closed_cleanly(session.db_path)
    for _start in (1, 2):  # every later start refuses it, with the same words, untouched
        before = session.db_path.read_bytes()
        with pytest.raises(CorruptDatabaseError, match="damaged") as info:
            sessions().open()
        assert str(session.db_path) in str(info.value) and "backup" in str(info.value)
        assert session.db_path.read_bytes() == before


def _start_intact(session) -> None:
    window = session.open()
    assert not session.store.checked_on_open  # closed cleanly: no check on the open
    checks = []
    journey = Journey()
    journey.add("pages built", lambda: WaitUntil(lambda: window.history is not None, "pages"))

    def start_check():
        checks.append(start_if_needed(session.store, window))
        return WaitUntil(lambda: not checks[0].worker.is_alive(), "the check done")

    journey.add("the background check runs", start_check)
    journey.add("let any message arrive", lambda: None)
    journey.add("nothing to tell", lambda: WaitUntil(lambda: checks[0].box is None, "none"))
    journey.run()
    session.close()


def test_an_intact_diary_started_twice_shows_nothing(sessions):
    first = sessions()
    first.db_path.parent.mkdir(parents=True)
    make_diary(first.db_path, 5)
    for session in (first, sessions()):
        _start_intact(session)
        assert closed_cleanly(session.db_path)
