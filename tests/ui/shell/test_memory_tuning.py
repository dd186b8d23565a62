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


def test_start_up_freezes_once_its_deferred_work_is_done(unfrozen, store, qtbot, monkeypatch):
    """The app (and bench_actions, which starts the window the same way) freezes after
    FREEZE_AFTER_MS; not before, so start-up's own garbage is collected first."""
    import gc

    from ui.shell import app
    from ui.shell.main_window import MainWindow

    monkeypatch.setattr(memory, "FREEZE_AFTER_MS", 200)
    window = MainWindow(store, install_features=False, defer_pages=True)
    qtbot.addWidget(window)
    app.after_first_paint(window)
    assert window.patterns_page is not None  # the pages were installed
    assert gc.get_freeze_count() == 0
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=5000)
