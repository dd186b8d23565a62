"""The allocator is tuned once the window is on screen (glibc): freed worker buffers go back to
the system instead of staying with the process (ui/shell/memory.py)."""

import sys

import pytest

from ui.shell import memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_tuning_applies_on_linux():
    assert memory.tune_allocator() is True


@pytest.fixture
def unfrozen():
    import gc

    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the suite collects as usual


def test_freezing_moves_what_exists_out_of_the_collectors_way(unfrozen):
    import gc

    kept = [object() for _ in range(100)]
    memory.freeze_startup_objects()
    assert gc.get_freeze_count() >= len(kept)


def test_start_up_freezes_now_and_again_once_its_deferred_work_is_done(
    unfrozen, store, qtbot, monkeypatch
):
    """The app (and the benchmarks, which start the window the same way) freeze what start-up
    made before the pages are installed, and again FREEZE_AFTER_MS later (the pages, the forms
    built ahead)."""
    import gc

    from ui.shell import app
    from ui.shell.main_window import MainWindow

    monkeypatch.setattr(memory, "FREEZE_AFTER_MS", 300)
    window = MainWindow(store, install_features=False, defer_pages=True)
    qtbot.addWidget(window)
    app.after_first_paint(window)
    assert window.patterns_page is not None  # the pages were installed
    first = gc.get_freeze_count()
    assert first > 0
    made_after = [[n] for n in range(1000)]  # containers: tracked by the collector
    qtbot.waitUntil(lambda: gc.get_freeze_count() > first + len(made_after) // 2, timeout=5000)
