"""The Tips page's "What goes with your cramps": gathered off the UI thread, gathered again
when check-ins or episodes change (and only then), the invitation without check-ins, and the
words: full numbers only for Holm-clear findings, the rest compact."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from tracker.advice import exposure_view, knowledge
from tracker.diary import demo_checkins
from tracker.diary.checkin import CheckIn
from ui.tips import insights_section
from ui.tips.insights_section import NO_CHECKINS_TEXT, InsightsSection, insights_html
from ui.tips.page import TipsPage

UNTIL = date.today() - timedelta(days=1)


@pytest.fixture(scope="module")
def diary():
    return demo_checkins.generate_diary(730, seed=1, until=UNTIL)


def _fill(store, diary):
    store.add_episodes(diary.episodes)
    store.add_checkins(diary.checkins)
    for medicine in diary.medicines:
        store.add_medicine(medicine)


class Recorder:
    def __init__(self, monkeypatch):
        self.real = exposure_view.gather
        self.threads: list[threading.Thread] = []
        monkeypatch.setattr(exposure_view, "gather", self)

    def __call__(self, *args, **kwargs):
        self.threads.append(threading.current_thread())
        return self.real(*args, **kwargs)


@pytest.fixture
def section(qtbot, store):
    widget = InsightsSection(store)
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    return widget


def test_without_checkins_it_invites_one_and_the_button_asks_for_it(qtbot, section):
    section.show()
    assert section.wait_for_refresh()
    assert section.summary.text() == NO_CHECKINS_TEXT
    assert section.checkin_button.isVisible()
    with qtbot.waitSignal(section.checkin_requested) as signal:
        qtbot.mouseClick(section.checkin_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["evening"]


def test_gathered_off_the_ui_thread_and_again_only_after_a_change(
    qtbot, section, store, diary, monkeypatch
):
    recorder = Recorder(monkeypatch)
    _fill(store, diary)
    section.show()
    assert section.wait_for_refresh()
    assert recorder.threads and threading.main_thread() not in recorder.threads
    assert section.view.checkin_days == len(diary.checkins)
    assert not section.checkin_button.isVisible()
    calls = len(recorder.threads)
    section.check_current()  # nothing changed: nothing gathered
    assert not section.refreshing and len(recorder.threads) == calls
    store.save_checkin(CheckIn(day=date.today(), fluids="less"))  # a check-in: checkin_revision
    section.check_current()
    assert section.wait_for_refresh()
    assert len(recorder.threads) == calls + 1
    assert section.view.checkin_days == len(diary.checkins) + 1


def test_hidden_it_waits_until_shown(qtbot, section, store, diary, monkeypatch):
    recorder = Recorder(monkeypatch)
    _fill(store, diary)
    section.check_current()
    assert recorder.threads == [] and section.view is None
    section.show()
    assert section.wait_for_refresh() and section.view is not None


def test_an_older_answer_is_dropped(qtbot, section, store, diary):
    section.show()
    assert section.wait_for_refresh()
    _fill(store, diary)
    section.refresh()
    section.refresh()  # a second change while the first gathering runs
    shown = []
    section.refreshed.connect(lambda: shown.append(section.view))
    assert section.wait_for_refresh()
    assert len(shown) == 1 and shown[0].checkin_days == len(diary.checkins)


def test_words_full_for_clear_findings_compact_for_the_rest(store, diary):
    _fill(store, diary)
    kb = knowledge.default()
    view = exposure_view.gather(store, kb, UNTIL)
    html = insights_html(view, kb, "#777777")
    assert len(view.clear) == 2 and view.unclear and view.tests > 2
    assert html.count("Clear after allowing for") == len(view.clear)
    assert f"allowing for {view.tests} comparisons" in html
    assert html.count("no clear difference") == len(view.unclear)
    for insight in view.clear:
        assert insight.text in html
        for tip in exposure_view.supported_tips(kb, insight.tip_ids):
            assert f"href='tip:{tip.id}'" in html
    assert "talk to your doctor" in html and "Medicines and supplements" in html
    assert "causes the other" in html


def test_too_few_checkins_say_how_many_more(store):
    store.add_checkins([CheckIn(day=UNTIL - timedelta(days=d), fluids="usual") for d in range(3)])
    kb = knowledge.default()
    view = exposure_view.gather(store, kb, UNTIL)
    html = insights_html(view, kb, "#777777")
    assert "Clear after allowing" not in html and "no clear difference" not in html
    assert "No clear difference for any factor yet" in html
    assert "needs 14 more check-ins" in html  # factors not answered at all


def test_a_tip_link_shows_that_tip_in_the_library(qtbot, store, diary):
    _fill(store, diary)
    page = TipsPage(store)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    page.search_edit.setText("heels")  # a filter that hides the tip asked for
    page.sections.setCurrentWidget(page.insights)
    assert page.insights.wait_for_refresh()
    with qtbot.waitSignal(page.insights.tip_requested):
        page.insights._link(insights_section.QUrl("tip:drink-water"))
    assert page.sections.currentWidget() is page.library_view.parentWidget()
    assert page.search_edit.text() == "" and page.highlighted_tip() == "drink-water"
    assert "Drink enough" in page.library_view.toPlainText()
