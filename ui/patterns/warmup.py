"""Imports what the Patterns charts need (numpy, matplotlib, the chart modules) in a thread.

Importing them costs about half a second on a quiet machine and several seconds on a busy one;
done on the UI thread when the page is first shown, the window could not answer meanwhile. The
page's feature starts this shortly after start-up (once the history is on screen), and the page
builds its charts only once it is done (``when_ready``): a first show before then waits for it,
saying "Updating…", instead of importing on the UI thread. An import in a thread still takes
the interpreter lock in turns; the render worker's shorter switch interval keeps those turns
short (measured in benchmarks/bench_patterns.py: the longest stall while warming up).
"""

from __future__ import annotations

import atexit
import gc
import logging
import sys
import threading
import weakref
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Signal

from ui.patterns import render_worker

log = logging.getLogger(__name__)

# What the page's first show would otherwise import on the UI thread (see _import_all).
MODULES = (
    "numpy",
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "tracker.charts.catalog",
    "tracker.charts.render",
    "ui.patterns.chart_card",
)


class _Notifier(QObject):
    """Lives on the UI thread: the warm-up's end is delivered through its queued signal."""

    finished = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.waiting: list[weakref.WeakMethod | Callable[[], None]] = []
        self.finished.connect(self._call_waiting)

    def _call_waiting(self) -> None:
        waiting, self.waiting = self.waiting, []
        for entry in waiting:
            callback = entry() if isinstance(entry, weakref.WeakMethod) else entry
            owner = getattr(callback, "__self__", None)
            if callback is None or (isinstance(owner, QObject) and not shiboken6.isValid(owner)):
                continue  # the page went away meanwhile
            callback()


_thread: threading.Thread | None = None
_done = threading.Event()
_notifier: _Notifier | None = None
imported_in: list[str] = []  # the name of the thread that did the imports (tests read it)


def _import_all() -> None:
    """The imports of MODULES, named here (no module is imported from a list of names)."""
    imported_in.append(threading.current_thread().name)
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import numpy  # noqa: F401

    import tracker.charts.catalog  # noqa: F401
    import tracker.charts.render  # noqa: F401
    import ui.patterns.chart_card  # noqa: F401


def _run(notifier: _Notifier) -> None:
    # No collection while importing: the imports make some 100,000 objects, and each full
    # collection they set off walked all of them holding the interpreter lock, which held the
    # window for 100-140 ms at a time. What they made lives as long as the app: it is then
    # frozen out of the collector's reach (ui/shell/memory.py) and collection goes on.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _import_all()
    except Exception:  # the page imports them again on first show and says what failed there
        log.exception("could not load the chart modules ahead")
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
        _done.set()
        try:
            notifier.finished.emit()  # queued: the waiting pages build on the UI thread
        except RuntimeError:  # the application is shutting down
            pass


def loaded() -> bool:
    """Every module is imported (by the warm-up, or by anything else before it)."""
    if _thread is not None:
        return _done.is_set()
    return all(name in sys.modules for name in MODULES)


def start() -> None:
    """Begin importing in a thread (on the UI thread; once; nothing if already imported)."""
    global _thread, _notifier
    if _thread is not None or loaded():
        return
    if _notifier is None or not shiboken6.isValid(_notifier):
        _notifier = _Notifier()
    render_worker.shorter_switch_interval()  # the import hands the lock back within 1 ms
    _done.clear()
    _thread = threading.Thread(target=_run, args=(_notifier,), name="patterns-warmup", daemon=True)
    _thread.start()


def when_ready(callback: Callable[[], None]) -> bool:
    """Call ``callback`` on the UI thread once the modules are imported: now (True) if they
    are, else after the warm-up, which starts now if it has not (False). A bound method is
    held weakly: a page closed meanwhile is not called."""
    if loaded():
        callback()
        return True
    start()
    assert _notifier is not None
    owner = getattr(callback, "__self__", None)
    entry = weakref.WeakMethod(callback) if owner is not None else callback
    _notifier.waiting.append(entry)
    if _done.is_set():  # finished between the check and now: its signal may have gone by
        _notifier._call_waiting()
    return False


def wait(timeout_s: float | None = None) -> bool:
    """Block until the warm-up is over (tests, benchmarks, exit); True if it is."""
    thread = _thread
    if thread is not None:
        thread.join(timeout_s)
    return loaded()


@atexit.register
def _finish_before_exit() -> None:
    """A daemon thread still inside an extension module's import when the interpreter goes
    away can abort the process: let it finish first (it is near its end, or short)."""
    thread = _thread
    if thread is not None and thread.is_alive():
        thread.join(10.0)
