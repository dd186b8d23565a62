"""Tips page, post-save suggestion, doctor banner and profile dialog, driven with qtbot."""

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.factories import make_episode
from tracker import profile as P
from ui import main_window, tips_feature
from ui.profile_dialog import ProfileDialog
from ui.tips_page import TipsPage


def _now():
    return datetime.now().astimezone().replace(microsecond=0)


def night_workout_log(store, count=10):
    start = _now().replace(hour=1, minute=30, second=0) - timedelta(days=count + 1)
    for i in range(count):
        store.add_episode(
            make_episode(
                started_at=start + timedelta(days=i),
                activity="in_bed",
                hydration="under",
                context=("hard_exercise",),
            )
        )


@pytest.fixture
def feature(window):
    return tips_feature.install(window)


def test_tips_feature_is_registered():
    assert "ui.tips_feature" in main_window.FEATURES


# ---- Tips page
def test_page_empty_state_and_disclaimer(qtbot, store):
    page = TipsPage(store)
    qtbot.addWidget(page)
    page.show()
    assert "Log a few cramps" in page.summary.text()
    assert page.matches == []
    assert "does not diagnose" in page.disclaimer.text()
    for index in range(page.sections.count()):
        page.sections.setCurrentIndex(index)
        assert page.disclaimer.isVisible()


def test_for_you_ranks_hydration_stretching_and_night_advice_first(qtbot, store):
    night_workout_log(store)
    page = TipsPage(store)
    qtbot.addWidget(page)
    page.show()
    assert set(page.shown_ids()[:3]) == {"drink-water", "stretch-before-exercise", "night-cramps"}
    text = page.for_you_view.toPlainText()
    assert "All of your last 10 episodes were when you felt under-hydrated" in text
    assert "Why you see this" in text
    assert "Source" in text
    assert text.index("Drink enough") < text.index("Cramps at night in bed") < len(text)


def test_page_recomputes_only_when_shown(qtbot, store):
    page = TipsPage(store)
    qtbot.addWidget(page)
    page.show()
    assert page.matches == []
    page.hide()
    store.add_episode(make_episode(started_at=_now() - timedelta(hours=1), footwear="high_heels"))
    page.mark_stale()
    assert page.matches == []  # hidden: nothing computed yet
    page.show()
    assert "avoid-heels" in page.shown_ids()
    assert "Your latest episode was in high heels" in page.for_you_view.toPlainText()


def test_library_search_kind_and_factor(qtbot, store):
    page = TipsPage(store)
    qtbot.addWidget(page)
    total = len(page.kb.tips)
    assert page.library_count.text() == f"{total} of {total} tips"
    qtbot.keyClicks(page.search_edit, "aspirin")
    assert page.library_count.text() == f"1 of {total} tips"
    text = page.library_view.toPlainText()
    assert "Painkillers: the articles disagree" in text
    assert "What to Do If Your Toes/Feet Cramp" in text and "2021-06-28" in text
    page.search_edit.clear()
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("doctor"))
    page.factor_combo.setCurrentIndex(page.factor_combo.findData("age"))
    shown = page.library_view.toPlainText()
    assert "Cramps when walking, in older age" in shown
    assert "Stretch your toes" not in shown
    page.search_edit.setText("zebra")
    assert "No tip matches" in page.library_view.toPlainText()


def test_sources_tab_lists_every_article(qtbot, store):
    page = TipsPage(store)
    qtbot.addWidget(page)
    text = page.sources_view.toPlainText()
    for source in page.kb.sources.values():
        assert source.title in text
    assert "sahina bano" in text and "2021-08-06" in text


def test_tip_html_escapes_reasons(qtbot, store):
    from ui.tip_html import tip_block

    page = TipsPage(store)
    qtbot.addWidget(page)
    html = tip_block(page.kb, page.kb.tip("drink-water"), ["<img src='file:///etc/passwd'>"])
    assert "<img" not in html and "&lt;img" in html


# ---- post-save suggestion
def _log_through_dialog(window, qtbot, **choices):
    dialog = window.open_log_dialog()
    qtbot.waitExposed(dialog)
    form = dialog.form
    form.minutes_spin.setValue(1)
    form.severity_slider.setValue(5)
    form.minutes_spin.setFocus()
    qtbot.keyClick(form.minutes_spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_suggestion_after_save_is_non_modal(window, feature, qtbot, store):
    assert not feature.suggestion.isVisible()
    _log_through_dialog(window, qtbot)
    assert store.count_episodes() == 1
    assert feature.suggestion.isVisible()
    shown = feature.suggestion.shown_ids()
    assert 1 <= len(shown) <= 3
    modal = [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and w.isModal() and w.parentWidget() is window
    ]
    assert modal == []
    assert feature.suggestion.window() is window  # a panel inside the window, not a pop-up
    assert "not a diagnosis" in feature.suggestion.body.text()
    assert "going on" not in feature.suggestion.body.text()  # a logged cramp has ended
    # The next log can start straight away.
    dialog = window.open_log_dialog()
    qtbot.waitExposed(dialog)
    assert dialog.isVisible()
    dialog.reject()


def test_suggestion_relief_first_then_prevention(window, feature, qtbot, store):
    ep = store.add_episode(
        make_episode(started_at=_now() - timedelta(minutes=1), duration_s=30, footwear="high_heels")
    )
    window.episode_saved.emit(ep)
    matches = feature.suggestion.matches
    assert matches[0].tip.kind == "relief"
    assert matches[1].tip.kind == "prevention"
    body = feature.suggestion.body.text()
    assert "This cramp was in high heels" in body
    qtbot.mouseClick(feature.suggestion.close_button, Qt.MouseButton.LeftButton)
    assert not feature.suggestion.isVisible()


def test_suggestion_after_the_timer_says_the_cramp_is_over(window, feature, store):
    """Timer stopped at the cramp's end, form saved at once: relief is for if it comes back."""
    stopped = _now() - timedelta(seconds=20)
    ep = store.add_episode(make_episode(started_at=stopped - timedelta(seconds=75), duration_s=75))
    window.episode_saved.emit(ep)
    body = feature.suggestion.body.text()
    assert feature.suggestion.matches[0].tip.kind == "relief"
    assert "ended only minutes ago" in body and "comes back" in body
    assert "going on" not in body


def test_suggestion_for_a_quick_log_cites_nothing_unrecorded(window, feature, store):
    """A late-morning quick log once got "started at night or in bed" from a preset."""
    quick = dict(side=None, site=(), severity=None, activity=None, hydration=None, footwear=None)
    start = _now().replace(hour=10, minute=45) - timedelta(days=1)
    ep = store.add_episode(make_episode(started_at=start, **quick))
    window.episode_saved.emit(ep)
    body = feature.suggestion.body.text()
    assert "in bed" not in body and "at night" not in body
    assert "General advice from the articles" in body


def test_suggestion_joins_its_reasons_for_one_cramp(window, feature, store):
    start = _now().replace(hour=3, minute=0) - timedelta(days=1)
    ep = store.add_episode(make_episode(started_at=start, activity="in_bed"))
    window.episode_saved.emit(ep)
    body = feature.suggestion.body.text()
    assert "This cramp started at night (22:00 to 06:00) and started in bed" in body


def test_more_tips_opens_the_page(window, feature, qtbot, store):
    ep = store.add_episode(make_episode(started_at=_now() - timedelta(hours=2), hydration="under"))
    window.episodes_changed.emit()
    window.episode_saved.emit(ep)
    qtbot.mouseClick(feature.suggestion.more_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is feature.page
    assert not feature.suggestion.isVisible()
    assert "drink-water" in feature.page.shown_ids()


# ---- doctor banner
def _save(window, store, **overrides):
    values = dict(started_at=_now() - timedelta(hours=1), activity="standing", severity=4)
    values.update(overrides)
    ep = store.add_episode(make_episode(**values))
    window.episodes_changed.emit()
    window.episode_saved.emit(ep)
    return ep


def test_banner_shows_reason_source_and_disclaimer(window, feature, store):
    assert not feature.banner.isVisible()
    _save(window, store, warning_signs=("numbness",))
    assert feature.banner.shown_rules() == ["numbness"]
    text = feature.banner.body.text()
    assert "You noted numbness" in text
    assert "Source:" in text and "possible causes and how to get relief" in text
    assert "does not diagnose" in text


def test_banner_marks_an_approximate_time_and_ignores_unrated_severity(window, feature, store):
    start = _now().replace(hour=3, minute=0) - timedelta(days=1)
    _save(window, store, started_at=start, time_approximate=True, warning_signs=("numbness",))
    assert "at about 03:00" in feature.banner.body.text()
    _save(window, store, severity=None, activity=None)  # a quick log: nothing to see a doctor for
    assert not feature.banner.isVisible()


def test_banner_dismissed_per_episode_and_comes_back(window, feature, qtbot, store):
    first = _save(window, store, warning_signs=("numbness",))
    qtbot.mouseClick(feature.banner.dismiss_button, Qt.MouseButton.LeftButton)
    assert not feature.banner.isVisible()
    assert P.is_dismissed(store, first.id, ("numbness",))
    feature.banner.refresh()  # any later change keeps it dismissed for that episode
    assert not feature.banner.isVisible()
    # The reason persists in the next episode: the banner comes back.
    _save(window, store, started_at=_now() - timedelta(minutes=30), warning_signs=("numbness",))
    assert feature.banner.shown_rules() == ["numbness"]
    # A clean episode after that: no banner.
    _save(window, store, started_at=_now() - timedelta(minutes=10))
    assert not feature.banner.isVisible()


def test_banner_follows_edits_and_deletes(window, feature, store):
    ep = _save(window, store, warning_signs=("swelling",))
    assert feature.banner.isVisible()
    store.update_episode(ep.replace(warning_signs=()))
    window.episodes_changed.emit()
    assert not feature.banner.isVisible()
    store.update_episode(ep.replace(warning_signs=("hard_to_walk",)))
    window.episodes_changed.emit()
    assert feature.banner.shown_rules() == ["hard_to_walk"]
    store.delete_episode(ep.id)
    window.episodes_changed.emit()
    assert not feature.banner.isVisible()


def test_banner_at_startup_and_from_profile(qtbot, window, store):
    store.add_episode(make_episode(started_at=_now() - timedelta(hours=3), activity="standing"))
    feature = tips_feature.install(window)
    assert not feature.banner.isVisible()
    P.save_profile(store, P.Profile(conditions=("diabetes",)))
    feature.banner.refresh()
    assert feature.banner.shown_rules() == ["known_condition"]
    assert "diabetes" in feature.banner.body.text()


# ---- profile
def test_profile_dialog_round_trip(qtbot, store):
    dialog = ProfileDialog(store)
    qtbot.addWidget(dialog)
    dialog.age_combo.setCurrentIndex(dialog.age_combo.findData("65_plus"))
    dialog.condition_boxes["kidney_disease"].setChecked(True)
    dialog.medicines_edit.setPlainText("something daily")
    dialog.accept()
    saved = P.load_profile(store)
    assert saved == P.Profile(
        age_range="65_plus", conditions=("kidney_disease",), medicines="something daily"
    )
    again = ProfileDialog(store)
    qtbot.addWidget(again)
    assert again.condition_boxes["kidney_disease"].isChecked()
    again.clear()
    again.accept()
    assert P.load_profile(store).is_empty


def test_profile_from_feature_refreshes_banner_and_page(window, feature, store, monkeypatch):
    _save(window, store, activity="walking")
    _save(window, store, activity="walking", started_at=_now() - timedelta(minutes=20))
    assert not feature.banner.isVisible()

    def fake_exec(dialog):
        dialog.age_combo.setCurrentIndex(dialog.age_combo.findData("65_plus"))
        dialog.accept()
        return 1

    monkeypatch.setattr(ProfileDialog, "exec", fake_exec)
    feature.edit_profile()
    assert feature.banner.shown_rules() == ["walking_older"]
    window.tabs.setCurrentWidget(feature.page)
    assert "Your profile gives your age as 65 or older" in feature.page.for_you_view.toPlainText()


def test_replace_store_switches_everything(window, feature, tmp_path):
    from tracker.store import Store

    other = Store.open(tmp_path / "other.sqlite")
    try:
        other.add_episode(make_episode(started_at=_now() - timedelta(hours=1), severity=9))
        window.replace_store(other)
        assert feature.page.store is other
        assert feature.banner.shown_rules() == ["intense"]
    finally:
        other.close()


def test_banner_dismiss_on_a_read_only_diary(window, feature, store, monkeypatch):
    from tracker.store import StoreError

    _save(window, store, warning_signs=("numbness",))

    def refuse(*args):
        raise StoreError("read-only")

    monkeypatch.setattr(store, "set_setting", refuse)
    feature.banner.dismiss()
    assert not feature.banner.isVisible()
    feature.banner.refresh()
    assert not feature.banner.isVisible()
