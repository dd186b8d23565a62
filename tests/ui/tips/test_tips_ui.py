"""Tips page, post-save suggestion, doctor banner and profile dialog, driven with qtbot."""

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.factories import make_episode
from tracker.advice import profile as P
from tracker.diary import vocab
from ui.tips import feature as tips_feature
from ui.tips.page import TipsPage
from ui.tips.profile_dialog import ProfileDialog


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


# ---- Tips page
def test_page_empty_state_and_disclaimer(qtbot, store):
    page = TipsPage(store)
    qtbot.addWidget(page)
    page.show()
    assert page.wait_for_refresh()
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
    assert page.wait_for_refresh()
    # The doctor banner's reasons (same rule engine) lead, then the advice that fits the diary.
    from tracker.advice import doctor_rules
    from tracker.advice.profile import load_profile

    alerts = doctor_rules.alerts_now(store, load_profile(store), _now())
    doctor = {a.tip_id for a in alerts}
    assert doctor and set(page.shown_ids()[: len(doctor)]) == doctor
    rest = [t for t in page.shown_ids() if not t.startswith("doctor-")]
    assert set(rest[:3]) == {"drink-water", "stretch-before-exercise", "night-cramps"}
    text = page.for_you_view.toPlainText()
    assert "All of your last 10 episodes were when you felt under-hydrated" in text
    assert "Why you see this" in text
    assert "Source" in text
    assert text.index("Drink enough") < text.index("Cramps at night in bed") < len(text)


def test_page_recomputes_only_when_shown(qtbot, store):
    page = TipsPage(store)
    qtbot.addWidget(page)
    page.show()
    assert page.wait_for_refresh()
    assert page.matches == []
    page.hide()
    store.add_episode(make_episode(started_at=_now() - timedelta(hours=1), footwear="high_heels"))
    page.mark_stale()
    assert page.matches == []  # hidden: nothing computed yet
    page.show()
    assert page.wait_for_refresh()
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
    assert "What to Do If Your Toes/Feet Cramp" in text and "28 June 2021" in text
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
    assert page.sections.tabText(page.sections.indexOf(page.sources_view)) == "Sources"
    assert text.startswith("The advice in this app was taken from the five articles below.")
    for source in page.kb.sources.values():
        assert source.title in text
        assert source.internal_note not in text  # how we read our copy is never shown
    assert "sahina bano" in text and "6 August 2021" in text and "28 June 2021" in text
    assert "Experts quoted" in text and "Brad Schaeffer" in text


# What once made the sources look unfinished; "p = " is for the statistics appendix only.
UNFINISHED = ("our label", "untitled", "Author: not named", "not named", "not given", "p = ")


def _plain(html: str) -> str:
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(html)
    return document.toPlainText()


def test_no_unfinished_source_wording_anywhere_on_the_tips_page(qtbot, store):
    from ui.tips.tip_html import sources_line

    night_workout_log(store)
    page = TipsPage(store)
    qtbot.addWidget(page)
    page.show()
    assert page.wait_for_refresh()
    shown = {
        "sources": page.sources_view.toPlainText(),
        "library": page.library_view.toPlainText(),
        "for you": page.for_you_view.toPlainText(),
        "disclaimer": page.disclaimer.text(),
    }
    shown.update({tip.id: _plain(sources_line(page.kb, tip)) for tip in page.kb.tips})
    for where, text in shown.items():
        for word in UNFINISHED:
            assert word.lower() not in text.lower(), (where, word)
    assert (
        "Source: \u201cWhat to Do If Your Toes/Feet Cramp\u201d (sahina bano, 28 June 2021)"
        in (shown["relief-pull-toes"])
    )
    assert (
        "Sources: \u201cToe cramps: possible causes and how to get relief\u201d; "
        in (shown["relief-heat"])
    )


def test_tip_html_escapes_reasons(qtbot, store):
    from ui.tips.tip_html import tip_block

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


def test_suggestion_carries_the_caution_for_a_kidney_condition(window, feature, store):
    P.save_profile(store, P.Profile(conditions=("kidney_disease",)))
    ep = store.add_episode(make_episode(started_at=_now() - timedelta(hours=2), hydration="under"))
    window.episode_saved.emit(ep)
    drink = next(m for m in feature.suggestion.matches if m.tip.id == "drink-water")
    assert drink.cautions
    body = feature.suggestion.body.text()
    assert "Caution: your profile mentions kidney disease." in body
    assert "Check with your doctor before" in body


def test_page_puts_the_condition_doctor_tip_first_and_shows_the_caution(qtbot, store):
    night_workout_log(store)
    P.save_profile(store, P.Profile(conditions=("kidney_disease",)))
    page = TipsPage(store)
    qtbot.addWidget(page)
    page.show()
    assert page.wait_for_refresh()
    assert page.shown_ids()[0] == "doctor-known-condition"
    text = page.for_you_view.toPlainText()
    assert "Your profile mentions kidney disease" in text
    assert "Caution: your profile mentions kidney disease." in text
    assert "restless" not in text.lower()


def test_more_tips_opens_the_page(window, feature, qtbot, store):
    ep = store.add_episode(make_episode(started_at=_now() - timedelta(hours=2), hydration="under"))
    window.episodes_changed.emit()
    window.episode_saved.emit(ep)
    qtbot.mouseClick(feature.suggestion.more_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is feature.page
    assert feature.page.wait_for_refresh()
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
    from ui.widgets.dates import short_time

    assert f"at about {short_time(start)}" in feature.banner.body.text()
    # a quick log adds no reason of its own, and the numbness of the day before stays
    _save(window, store, severity=None, activity=None)
    assert feature.banner.shown_rules() == ["numbness"]


def test_banner_dismissed_per_reason_and_comes_back(window, feature, qtbot, store):
    ten_days_ago = _now() - timedelta(days=10)
    first = _save(window, store, started_at=ten_days_ago, warning_signs=("numbness",))
    assert feature.banner.shown_rules() == ["numbness"]
    qtbot.mouseClick(feature.banner.dismiss_button, Qt.MouseButton.LeftButton)
    assert not feature.banner.isVisible()
    assert P.is_dismissed(store, first.id, ("numbness",))
    feature.banner.refresh()  # any later change keeps it dismissed
    assert not feature.banner.isVisible()
    # An ordinary cramp does not bring it back ...
    _save(window, store, started_at=_now() - timedelta(hours=1))
    assert not feature.banner.isVisible()
    # ... a new numb cramp does, and the sign stays after a clean cramp that follows it.
    _save(window, store, started_at=_now() - timedelta(minutes=30), warning_signs=("numbness",))
    assert feature.banner.shown_rules() == ["numbness"]
    _save(window, store, started_at=_now() - timedelta(minutes=10))
    assert feature.banner.shown_rules() == ["numbness"]


def test_banner_keeps_a_warning_sign_for_two_weeks(window, feature, store):
    _save(window, store, started_at=_now() - timedelta(days=15), warning_signs=("numbness",))
    assert not feature.banner.isVisible()  # aged out
    _save(window, store, started_at=_now() - timedelta(days=13), warning_signs=("swelling",))
    _save(window, store, started_at=_now() - timedelta(days=6))
    _save(window, store, started_at=_now() - timedelta(hours=2))
    assert feature.banner.shown_rules() == ["swelling"]


def test_banner_lists_each_reason_with_its_dates(window, feature, store):
    days = [_now() - timedelta(days=2), _now() - timedelta(days=1), _now() - timedelta(minutes=1)]
    for start in days:
        _save(window, store, started_at=start)
    text = feature.banner.body.text()
    assert feature.banner.shown_rules() == ["persistent_days"]
    assert "Cramps on 3 days within a week" in text
    from ui.widgets.dates import short_date

    assert f"({short_date(days[0])} to {short_date(days[2])})" in text


def test_banner_and_summary_agree(window, feature, store):
    from tracker.report.data import ReportRequest, build_report, preset_period

    P.save_profile(store, P.Profile(age_range="65_plus", other_conditions="gout"))
    for d, sign in ((9, "fever"), (5, None), (3, None), (1, None), (0, None)):
        signs = (sign,) if sign else ()
        _save(window, store, started_at=_now() - timedelta(days=d, hours=1), warning_signs=signs)
    shown = feature.banner.shown_rules()
    assert {"fever_injury", "known_condition", "persistent_days"} <= set(shown)
    today = _now().date()
    data = build_report(store, ReportRequest(preset_period("1m", today), today))
    assert set(shown) <= {r.rule_id for r in data.doctor_reasons}


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


def test_profile_dialog_offers_the_conditions_the_articles_name(qtbot, store):
    dialog = ProfileDialog(store)
    qtbot.addWidget(dialog)
    assert list(dialog.condition_boxes) == list(vocab.CONDITIONS_OFFERED)
    assert "nervous_system" not in dialog.condition_boxes  # the older lumped-together answer
    for code in ("multiple_sclerosis", "parkinsons", "stroke_brain_injury"):
        dialog.condition_boxes[code].setChecked(True)
    dialog.other_edit.setText("Hypothyroidism")
    dialog.accept()
    saved = P.load_profile(store)
    assert saved.conditions == ("multiple_sclerosis", "parkinsons", "stroke_brain_injury")
    assert saved.other_conditions == "Hypothyroidism"  # kept as typed, never turned into a code


def test_profile_dialog_keeps_an_older_answer_visible_until_unticked(qtbot, store):
    P.save_profile(store, P.Profile(conditions=("nervous_system", "diabetes")))
    dialog = ProfileDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    older = dialog.condition_boxes["nervous_system"]
    assert older.isVisible() and older.isChecked()
    assert "older answer" in older.text()
    dialog.accept()  # saving unchanged keeps it
    assert set(P.load_profile(store).conditions) == {"nervous_system", "diabetes"}
    again = ProfileDialog(store)
    qtbot.addWidget(again)
    again.condition_boxes["nervous_system"].setChecked(False)
    again.condition_boxes["parkinsons"].setChecked(True)
    again.accept()
    assert set(P.load_profile(store).conditions) == {"diabetes", "parkinsons"}
    fresh = ProfileDialog(store)
    qtbot.addWidget(fresh)
    assert "nervous_system" not in fresh.condition_boxes


# ---- warning signs in the form
def test_form_offers_fever_and_injury_apart_and_keeps_an_older_entry(qtbot):
    from ui.episode.form import EpisodeForm

    form = EpisodeForm()
    qtbot.addWidget(form)
    form.show()
    grid = form.warning_signs
    assert grid.is_offered("fever") and grid.is_offered("visible_injury")
    assert not grid.is_offered("fever_injury")
    form.load_new()
    assert grid.box("fever_injury").isHidden()
    assert not grid.box("fever").isHidden() and not grid.box("visible_injury").isHidden()
    old = make_episode(started_at=_now() - timedelta(days=400), warning_signs=("fever_injury",))
    form.load_episode(old)
    assert not grid.box("fever_injury").isHidden() and grid.box("fever_injury").isChecked()
    assert "older entry" in grid.box("fever_injury").text()
    assert form.episode().warning_signs == ("fever_injury",)  # editing never drops it
    form.load_new()
    assert grid.box("fever_injury").isHidden()
    grid.box("fever").setChecked(True)
    assert form.episode().warning_signs == ("fever",)


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
    assert feature.page.wait_for_refresh()
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


def test_banner_source_line_reads_as_a_citation(window, feature, store):
    _save(window, store, warning_signs=("numbness", "swelling"))
    text = _plain(feature.banner.body.text())
    assert "Source: \u201cToe cramps: possible causes and how to get relief\u201d" in text
    for word in UNFINISHED:
        assert word.lower() not in text.lower(), word


def test_one_banner_check_per_save(window, feature, monkeypatch):
    """The check reads five weeks of history: a save runs it once, not twice."""
    calls = []
    real = feature.banner.refresh
    monkeypatch.setattr(feature.banner, "refresh", lambda: calls.append(1) or real())
    dialog = window.open_log_dialog()
    assert dialog.try_save()
    assert len(calls) == 1
