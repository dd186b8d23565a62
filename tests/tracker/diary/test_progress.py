"""Progress reports are throttled and cancelling stops the work at its next step."""

import threading

import pytest

from tracker.diary.progress import Cancelled, Progress


def test_step_reports_first_and_last_and_throttles_the_rest():
    seen = []
    progress = Progress(lambda done, total, text: seen.append((done, total, text)), interval=60)
    progress.phase("Reading")
    for i in range(1, 1001):
        progress.step(i, 1000)
    assert seen == [(1, 1000, "Reading"), (1000, 1000, "Reading")]


def test_a_new_phase_is_reported_at_once():
    seen = []
    progress = Progress(lambda done, total, text: seen.append(text), interval=60)
    progress.step(1, 10, "Reading")
    progress.step(2, 10, "Reading")
    progress.step(3, 10, "Saving")
    assert seen == ["Reading", "Saving"]


def test_cancel_from_another_thread_raises_at_the_next_step():
    progress = Progress()
    done = []

    def work():
        try:
            for i in range(10_000_000):
                progress.step(i)
                if i == 10:
                    threading.Thread(target=progress.cancel).start()
        except Cancelled:
            done.append(i)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(10)
    assert done and done[0] < 10_000_000
    assert progress.cancelled
    with pytest.raises(Cancelled):
        progress.check()


def test_without_a_reporter_step_only_checks():
    progress = Progress()
    progress.step(5, 10)  # no error, nothing reported
    progress.cancel()
    with pytest.raises(Cancelled):
        progress.step(6, 10)
