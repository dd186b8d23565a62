"""Notices above the pages take one line: the doctor banner and the after-save tips, with their
full text behind Details, and Help > Health notices bringing back what was dismissed."""

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from tests.factories import make_episode
from tracker.advice import profile as P
from ui.tips import feature as tips_feature
from ui.tips.health_notices import NOTHING


def _now():
    return datetime.now().astimezone().replace(microsecond=0)


@pytest.fixture
def feature(window):
    return tips_feature.install(window)


def _save(window, store, **overrides):
    values = dict(started_at=_now() - timedelta(hours=1), activity="standing", severity=4)
    values.update(overrides)
    episode = store.add_episode(make_episode(**values))
    window.episodes_changed.emit()
    window.episode_saved.emit(episode)
    QApplication.processEvents()  # lay the notices out
    return episode


def _collapsed_lines(notice) -> float:
    """The notice's height in text lines (with its margins and buttons)."""
    return notice.sizeHint().height() / notice.fontMetrics().lineSpacing()


def test_doctor_banner_is_one_line_with_details_behind_a_click(window, feature, store, qtbot):
    banner = feature.banner
    _save(window, store, warning_signs=("numbness",), severity=9)
    assert banner.shown_rules() == ["numbness", "intense"]
    assert banner.summary.full_text() == "Numb feet (+1 more)"
    labels = [label.text() for label in banner.findChildren(QLabel) if label.isVisible()]
    assert "It may be worth seeing a doctor:" in labels
    assert not banner.body.isVisible()
    assert _collapsed_lines(banner) <= 2, banner.sizeHint()
    # The one-liner's tooltip and accessible description say it is not a diagnosis.
    for text in (banner.summary.toolTip(), banner.accessibleDescription()):
        assert "It may be worth seeing a doctor: Numb feet (+1 more)" in text
        assert "does not diagnose" in text

    qtbot.mouseClick(banner.details_button, Qt.MouseButton.LeftButton)
    assert banner.body.isVisible()
    assert banner.details_button.text() == "Hide details"
    body = banner.body.text()
    assert "You noted numbness" in body and "Source:" in body
    assert "does not diagnose" in body  # kept in the expanded view
    assert banner.sizeHint().height() > 3 * banner.fontMetrics().lineSpacing()
    qtbot.mouseClick(banner.details_button, Qt.MouseButton.LeftButton)
    assert not banner.body.isVisible()
    assert _collapsed_lines(banner) <= 2


def test_banner_reason_is_elided_on_a_narrow_window_never_wrapped(window, feature, store):
    banner = feature.banner
    _save(window, store, warning_signs=("numbness",), severity=9, duration_s=20 * 60)
    summary = banner.summary
    assert summary.full_text() == "Numb feet (+2 more)"
    # However long the reasons, they never widen the window: the line is cut with "…".
    assert summary.minimumSizeHint().width() <= summary.fontMetrics().horizontalAdvance("M" * 10)
    summary.resize(summary.fontMetrics().horizontalAdvance("Numb"), summary.height())
    assert summary.text().endswith("…")
    assert summary.full_text() == "Numb feet (+2 more)"
    assert summary.sizeHint().height() < 2 * summary.fontMetrics().lineSpacing()


def test_tip_suggestion_is_one_line_with_details(window, feature, store, qtbot):
    suggestion = feature.suggestion
    _save(window, store, activity="in_bed", hydration="under")
    assert suggestion.isVisible()
    titles = [m.tip.title for m in suggestion.matches]
    more = f" (+{len(titles) - 1} more)" if len(titles) > 1 else ""
    assert suggestion.summary.full_text() == titles[0] + more
    assert "does not diagnose" in suggestion.summary.toolTip()
    assert "does not diagnose" in suggestion.accessibleDescription()
    assert not suggestion.body.isVisible()
    assert _collapsed_lines(suggestion) <= 2, suggestion.sizeHint()
    qtbot.mouseClick(suggestion.details_button, Qt.MouseButton.LeftButton)
    assert suggestion.body.isVisible()
    assert all(title in suggestion.body.text() for title in titles)
    assert "not a diagnosis" in suggestion.body.text()
    qtbot.mouseClick(suggestion.close_button, Qt.MouseButton.LeftButton)
    assert not suggestion.isVisible()


def test_both_notices_together_leave_the_pages_their_room(window, feature, store):
    _save(window, store, warning_signs=("numbness",), activity="in_bed")
    assert feature.banner.isVisible() and feature.suggestion.isVisible()
    both = feature.banner.sizeHint().height() + feature.suggestion.sizeHint().height()
    assert both <= 4 * window.fontMetrics().lineSpacing() + 8  # was 220-280 px


def test_health_notices_brings_back_a_dismissed_reason(window, feature, store, qtbot):
    banner = feature.banner
    episode = _save(window, store, warning_signs=("numbness",))
    qtbot.mouseClick(banner.dismiss_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    assert P.is_dismissed(store, episode.id, ("numbness",))

    assert feature.notices_action in window.help_menu.actions()
    feature.notices_action.trigger()
    dialog = feature.notices_dialog
    qtbot.waitExposed(dialog)
    assert dialog.isModal() or dialog.windowModality() != Qt.WindowModality.NonModal
    rows = dialog.list_widget.findChildren(QLabel)
    listed = " ".join(label.text() for label in rows)
    assert "Numb feet" in listed and "Dismissed" in listed
    # A second trigger brings the same dialog forward rather than opening another.
    feature.notices_action.trigger()
    assert feature.notices_dialog is dialog

    qtbot.mouseClick(dialog.show_again_buttons["numbness"], Qt.MouseButton.LeftButton)
    assert banner.shown_rules() == ["numbness"]
    assert not P.is_dismissed(store, episode.id, ("numbness",))
    assert "numbness" not in dialog.show_again_buttons  # now listed as shown
    listed = " ".join(label.text() for label in dialog.list_widget.findChildren(QLabel))
    assert "Shown in the banner" in listed

    dialog.close()
    qtbot.waitUntil(lambda: feature.notices_dialog is None)  # deleted and forgotten
    feature.notices_action.trigger()  # and it opens again
    assert feature.notices_dialog is not None and feature.notices_dialog.isVisible()
    feature.notices_dialog.close()


def test_health_notices_lists_shown_and_dismissed_reasons_of_the_diary(window, feature, store):
    episode = _save(window, store, warning_signs=("numbness",), severity=9)
    P.dismiss(store, episode.id, ("numbness",))  # numbness only
    feature.banner.refresh()
    assert feature.banner.shown_rules() == ["intense"]
    dialog = feature.show_health_notices()
    assert set(dialog.show_again_buttons) == {"numbness"}
    dialog.close()


def test_health_notices_when_nothing_applies(window, feature, qtbot):
    dialog = feature.show_health_notices()
    qtbot.waitExposed(dialog)
    texts = [label.text() for label in dialog.list_widget.findChildren(QLabel)]
    assert NOTHING in texts
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
    dialog.close()


def test_health_notices_on_a_read_only_diary_undoes_the_session_dismissal(
    window, feature, store, monkeypatch
):
    from tracker.store import StoreError

    _save(window, store, warning_signs=("numbness",))

    def refuse(*args):
        raise StoreError("read-only")

    monkeypatch.setattr(store, "set_setting", refuse)
    feature.banner.dismiss()
    assert not feature.banner.isVisible()
    (alert,) = feature.banner.current_alerts()
    assert feature.banner.is_dismissed(alert)
    feature.banner.undismiss(alert)
    assert feature.banner.shown_rules() == ["numbness"]


def test_undismiss_removes_only_that_dismissal(store):
    P.dismiss(store, 1, ("numbness",))
    P.dismiss(store, 2, ("intense",))
    assert P.undismiss(store, 1, ("numbness",)) is True
    assert not P.is_dismissed(store, 1, ("numbness",))
    assert P.is_dismissed(store, 2, ("intense",))
    assert P.undismiss(store, 1, ("numbness",)) is False  # nothing to bring back
