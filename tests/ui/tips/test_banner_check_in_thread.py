"""A slow doctor check (a large diary) runs in a thread: the save does not wait for it, the
banner still follows every change, and an answer for an older change is checked again."""

import threading
from datetime import datetime, timedelta

from tests.factories import make_episode
from tracker.advice import doctor_rules
from ui.tips import feature as tips_feature


def _now():
    return datetime.now().astimezone().replace(microsecond=0)


def test_a_slow_check_runs_in_a_thread_and_follows_each_change(qtbot, window, store, monkeypatch):
    feature = tips_feature.install(window)
    banner = feature.banner
    threads = []
    real = doctor_rules.alerts_now

    def recording(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(doctor_rules, "alerts_now", recording)
    banner.in_thread = True  # as in a diary of more than LARGE_DIARY episodes
    ep = store.add_episode(
        make_episode(started_at=_now() - timedelta(hours=1), warning_signs=("numbness",))
    )
    window.episodes_changed.emit()
    assert not banner.isVisible()  # not yet: the check is running in its thread
    qtbot.waitUntil(lambda: banner.shown_rules() == ["numbness"], timeout=10_000)
    assert threads and not any(threads)  # never on the UI thread
    # Two changes in a row: the banner ends with the answer for the last one.
    store.update_episode(ep.replace(warning_signs=("swelling",)))
    window.episodes_changed.emit()
    store.update_episode(ep.replace(warning_signs=()))
    window.episodes_changed.emit()
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=10_000)
    banner.wait_for_check(10)
    qtbot.wait(50)
    assert not banner.isVisible() and banner.shown_rules() == []


def test_a_run_of_changes_is_checked_once_after_the_window_settles(
    qtbot, window, store, monkeypatch
):
    """The save a person makes does not share the interpreter with the check: it starts
    SETTLE_MS after the last change, once for the whole run."""
    from ui.tips import doctor_banner

    feature = tips_feature.install(window)
    banner = feature.banner
    banner.in_thread = True
    calls = []
    real = doctor_rules.alerts_now

    def counting(*args, **kwargs):
        calls.append(datetime.now())
        return real(*args, **kwargs)

    monkeypatch.setattr(doctor_rules, "alerts_now", counting)
    ep = store.add_episode(
        make_episode(started_at=_now() - timedelta(hours=1), warning_signs=("numbness",))
    )
    changed_at = datetime.now()
    window.episodes_changed.emit()
    store.update_episode(ep.replace(warning_signs=("swelling",)))
    window.episodes_changed.emit()
    assert calls == []  # nothing runs while the person is still acting
    qtbot.waitUntil(lambda: banner.shown_rules() == ["swelling"], timeout=10_000)
    assert len(calls) == 1
    assert (calls[0] - changed_at).total_seconds() >= doctor_banner.SETTLE_MS / 1000 * 0.9


def test_the_banner_and_the_tips_page_evaluate_the_rules_once_per_change(
    qtbot, window, store, monkeypatch
):
    """After a save with the Tips page on screen, its worker and the banner's check ask for the
    same state: the rules are read and evaluated once, and both show the same answer."""
    feature = tips_feature.install(window)
    banner, page = feature.banner, feature.page
    banner.in_thread = True
    fixed = _now()
    banner.clock = page.clock = lambda: fixed
    window.show()
    window.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: not page.refreshing, timeout=10_000)
    evaluations = []
    real = doctor_rules._alerts_now
    monkeypatch.setattr(doctor_rules, "_alerts_now", lambda *a: evaluations.append(1) or real(*a))
    for warning in ("numbness", "swelling"):  # twice, as a person saves again
        evaluations.clear()
        store.add_episode(
            make_episode(started_at=fixed - timedelta(hours=1), warning_signs=(warning,))
        )
        window.episodes_changed.emit()
        qtbot.waitUntil(lambda: not page.refreshing, timeout=10_000)
        banner.wait_for_check(10)
        qtbot.waitUntil(lambda w=warning: w in banner.shown_rules(), timeout=10_000)
        assert len(evaluations) == 1
