"""The doctor banner's check and the Tips page's worker share one evaluation of the rules for
the same state of the diary (``doctor_rules.alerts_now(..., shared=key)``)."""

import threading
from datetime import datetime, timedelta

import pytest

from tests.factories import make_episode
from tracker.advice import doctor_rules
from tracker.advice.doctor_rules import SharedAnswer
from tracker.store import Store


def test_a_second_asker_of_the_same_key_waits_for_the_first_answer():
    shared = SharedAnswer()
    started, release = threading.Event(), threading.Event()
    calls = []

    def slow():
        calls.append(threading.current_thread().name)
        started.set()
        assert release.wait(10)
        return ["answer"]

    results = []
    first = threading.Thread(target=lambda: results.append(shared.get("k", slow)), name="first")
    first.start()
    assert started.wait(10)
    second = threading.Thread(
        target=lambda: results.append(shared.get("k", lambda: calls.append("second") or ["x"]))
    )
    second.start()
    second.join(0.2)
    assert second.is_alive()  # waiting for the first answer, not computing its own
    release.set()
    first.join(10)
    second.join(10)
    assert calls == ["first"]
    assert results == [["answer"], ["answer"]]
    assert shared.get("k", lambda: ["recomputed"]) == ["answer"]  # kept for its key
    assert shared.get("other", lambda: ["new"]) == ["new"]  # another key computes
    assert shared.computed == 2


def test_a_failed_answer_is_not_kept():
    shared = SharedAnswer()

    def failing():
        raise OSError("disk")

    with pytest.raises(OSError):
        shared.get("k", failing)
    assert shared.get("k", lambda: ["ok"]) == ["ok"]


def test_answers_are_copies():
    shared = SharedAnswer()
    first = shared.get("k", lambda: ["a"])
    first.append("changed")
    assert shared.get("k", lambda: ["b"]) == ["a"]


def test_state_key_changes_with_every_write_and_differs_between_stores(tmp_path):
    with Store.open(tmp_path / "a.sqlite") as a, Store.open(tmp_path / "b.sqlite") as b:
        assert a.state_key() != b.state_key()
        before = a.state_key()
        a.add_episode(make_episode())
        assert a.state_key() != before
    with Store.open(tmp_path / "a.sqlite") as again:  # the same file, opened again
        assert again.state_key() != before


def test_alerts_for_a_shared_key_follow_the_diary(tmp_path):
    """Keyed on the window's state: a write makes a new key, so the answer is never stale."""
    now = datetime.now().astimezone().replace(microsecond=0)
    with Store.open(tmp_path / "d.sqlite") as store:
        assert doctor_rules.alerts_now(store, None, now, store.state_key()) == []
        store.add_episode(
            make_episode(started_at=now - timedelta(hours=1), warning_signs=("numbness",))
        )
        with store.reader() as reader:
            alerts = doctor_rules.alerts_now(reader, None, now, store.state_key())
        assert [a.rule_id for a in alerts] == ["numbness"]
        assert alerts == doctor_rules.alerts_now(store, None, now)
