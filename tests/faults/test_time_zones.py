"""Editing after the machine's time zone changed keeps the episode where it was.

The edit form shows times in the machine's current zone. An episode logged in Berlin
(``00:30+01:00``) and opened in Los Angeles used to be saved back as ``16:30-07:00`` the day
before when only its severity was changed. Now the stored start (instant and offset) is kept
unless the person changes the time, and the form and the history say where it was logged.
"""

from datetime import datetime

import pytest
from PySide6.QtCore import QDate, QDateTime, QSettings, Qt, QTime
from PySide6.QtWidgets import QMessageBox

from tests.factories import make_episode
from tests.time_zone import machine_zone
from ui.episode.form import EpisodeForm
from ui.history.model import HistoryModel
from ui.shell.main_window import MainWindow
from ui.widgets.dates import date_time, short_date, short_time

TIP = Qt.ItemDataRole.ToolTipRole
BERLIN_NIGHT = "2026-03-10T00:30:00+01:00"  # Mon 9 Mar, 16:30 in Los Angeles (PDT, -07:00)


@pytest.fixture(autouse=True)
def no_unscripted_message_boxes(monkeypatch):
    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("question", "warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, unexpected)


@pytest.fixture
def window(qtbot, store, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(store, settings, install_features=False)
    qtbot.addWidget(win)
    win.show()
    return win


def _add(store, started: str, **fields):
    return store.add_episode(make_episode(started_at=datetime.fromisoformat(started), **fields))


def _edit(window, qtbot, episode_id):
    dialog = window.edit_episode(episode_id)
    qtbot.waitExposed(dialog)
    return dialog


def test_changing_only_severity_in_another_zone_keeps_the_stored_start(window, qtbot, store):
    episode = _add(store, BERLIN_NIGHT, severity=4)
    with machine_zone("America/Los_Angeles"):
        dialog = _edit(window, qtbot, episode.id)
        form = dialog.form
        assert form.start_edit.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-03-09 16:30"
        note = form.start.zone_note
        assert note.isVisibleTo(form)
        there = datetime(2026, 3, 10, 0, 30)
        assert f"logged at UTC+01:00, at {short_time(there)} on {short_date(there)}" in note.text()
        assert "current zone (UTC\u221207:00)" in note.text()
        form.severity_slider.setValue(8)
        assert dialog.try_save()
    saved = store.get_episode(episode.id)
    assert saved.started_at.isoformat() == BERLIN_NIGHT
    assert saved.severity == 8


def test_ticking_approximate_alone_keeps_the_stored_start(window, qtbot, store):
    episode = _add(store, BERLIN_NIGHT)
    with machine_zone("America/Los_Angeles"):
        dialog = _edit(window, qtbot, episode.id)
        dialog.form.start.approximate.setChecked(True)
        assert dialog.try_save()
    saved = store.get_episode(episode.id)
    assert saved.started_at.isoformat() == BERLIN_NIGHT
    assert saved.time_approximate


def test_a_changed_time_is_read_in_the_current_zone(window, qtbot, store):
    episode = _add(store, BERLIN_NIGHT)
    with machine_zone("America/Los_Angeles"):
        dialog = _edit(window, qtbot, episode.id)
        dialog.form.start_edit.setDateTime(QDateTime(QDate(2026, 3, 9), QTime(10, 0)))
        assert dialog.try_save()
    assert store.get_episode(episode.id).started_at.isoformat() == "2026-03-09T10:00:00-07:00"


def test_changing_the_time_and_back_keeps_the_stored_start(window, qtbot, store):
    episode = _add(store, BERLIN_NIGHT)
    with machine_zone("America/Los_Angeles"):
        dialog = _edit(window, qtbot, episode.id)
        edit = dialog.form.start_edit
        shown = edit.dateTime()
        edit.setDateTime(shown.addSecs(3600))
        edit.setDateTime(shown)
        dialog.form.severity_slider.setValue(2)
        assert dialog.try_save()
    assert store.get_episode(episode.id).started_at.isoformat() == BERLIN_NIGHT


@pytest.mark.parametrize(
    ("zone", "stored", "note"),
    [
        # Berlin, spring forward: 02:00 became 03:00, so 02:30+01:00 reads 03:30+02:00 here.
        ("Europe/Berlin", "2026-03-29T02:30:00+01:00", True),
        # Los Angeles, spring forward on 8 Mar 2026 at 02:00.
        ("America/Los_Angeles", "2026-03-08T02:30:00-08:00", True),
        # Berlin, fall back: the second 02:30 of 25 Oct 2026 (the first was +02:00).
        ("Europe/Berlin", "2026-10-25T02:30:00+01:00", False),
        ("Europe/Berlin", "2026-10-25T02:30:00+02:00", False),
    ],
)
def test_dst_transition_days_keep_the_stored_start(window, qtbot, store, zone, stored, note):
    episode = _add(store, stored, severity=3)
    with machine_zone(zone):
        dialog = _edit(window, qtbot, episode.id)
        assert dialog.form.start.zone_note.isVisibleTo(dialog.form) is note
        dialog.form.severity_slider.setValue(6)
        assert dialog.try_save()
    saved = store.get_episode(episode.id)
    assert (saved.started_at.isoformat(), saved.severity) == (stored, 6)


def test_same_zone_shows_no_note_and_saves_as_before(window, qtbot, store):
    """Logged in Berlin in winter, edited in Berlin in summer: the same zone, no note."""
    episode = _add(store, "2026-01-10T00:30:00+01:00")
    with machine_zone("Europe/Berlin"):
        dialog = _edit(window, qtbot, episode.id)
        assert not dialog.form.start.zone_note.isVisibleTo(dialog.form)
        assert dialog.form.start_edit.dateTime().toString("HH:mm") == "00:30"
        assert dialog.try_save()
    assert store.get_episode(episode.id).started_at.isoformat() == "2026-01-10T00:30:00+01:00"


def test_a_new_episode_after_an_edit_follows_the_edit(qtbot):
    form = EpisodeForm()
    qtbot.addWidget(form)
    with machine_zone("America/Los_Angeles"):
        form.load_episode(make_episode(started_at=datetime.fromisoformat(BERLIN_NIGHT)))
        assert form.episode().started_at.isoformat() == BERLIN_NIGHT
        form.load_new()
        assert not form.start.zone_note.isVisibleTo(form)
        started = form.episode().started_at
        assert abs((started - datetime.now().astimezone()).total_seconds()) < 120
        assert started.utcoffset() == datetime.now().astimezone().utcoffset()


MARCH_NIGHT = datetime(2026, 3, 10, 0, 30)  # the wall-clock times of the two episodes below
JANUARY_NIGHT = datetime(2026, 1, 10, 0, 30)


def test_history_shows_the_offset_where_it_differs(store):
    _add(store, BERLIN_NIGHT, time_approximate=True)
    _add(store, "2026-01-10T00:30:00+01:00")
    model = HistoryModel(store)
    with machine_zone("America/Los_Angeles"):
        model.reload()
        cells = [model.data(model.index(r, 0)) for r in range(2)]
        march, january = MARCH_NIGHT, JANUARY_NIGHT
        assert cells == [
            f"{short_date(march)}, \u2248 {short_time(march)} (UTC+01:00)",
            f"{date_time(january)} (UTC+01:00)",
        ]
        tip = model.data(model.index(1, 0), TIP)
        here = datetime(2026, 1, 9, 15, 30)
        assert f"On this computer's clock (UTC\u221208:00) that was {date_time(here)}" in tip
    with machine_zone("Europe/Berlin"):  # logged here: no offset, winter or summer
        cells = [model.data(model.index(r, 0)) for r in range(2)]
        march, january = MARCH_NIGHT, JANUARY_NIGHT
        assert cells == [f"{short_date(march)}, \u2248 {short_time(march)}", date_time(january)]
        assert "UTC" not in model.data(model.index(1, 0), TIP)
