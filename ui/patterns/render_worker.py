"""One worker thread that builds and renders chart figures, so the window never waits on them.

A card asks for a rendering with a token; a newer request from the same card replaces one not
yet started, and a result whose token is no longer the card's latest is dropped by the card
(see ChartCard.deliver): an old range or an old save never shows as current. The figure of a
rendering is only touched by the worker until it is delivered; from then on only by the UI
thread (tooltips hit-test it). Results come back on the UI thread through a queued signal.
"""

from __future__ import annotations

import atexit
import logging
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from tracker.charts import render
from tracker.charts.style import ChartTheme

log = logging.getLogger(__name__)
SWITCH_INTERVAL_S = 0.001  # Python's default is 0.005


def shorter_switch_interval() -> None:
    """Have a busy worker hand the interpreter lock to the UI thread within 1 ms, not 5.

    Python code in a worker (matplotlib drawing) holds the lock until another thread has
    waited this long; the UI thread enters Python for every slot, paint and model call, and
    could wait 5 ms each time (measured: the longest stall after a save at 10,000 episodes,
    median 68 -> 52 ms). Process-wide. (Lowering the worker's OS priority instead made stalls
    longer: a descheduled worker holding the lock keeps the UI thread waiting.)
    """
    import sys

    sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL_S))


@dataclass(frozen=True)
class Job:
    owner: int  # id of the card asking
    token: int  # the card's request number: only its latest is shown
    draw: render.Draw
    data: object
    theme: ChartTheme
    width: int
    height: int
    ratio: float


class ChartRenderer(QObject):
    """Renders jobs one at a time in a daemon thread, in the order the cards asked."""

    _finished = Signal(object, object)  # (job, Rendering or None on failure)

    def __init__(self) -> None:
        super().__init__()
        self._jobs: OrderedDict[int, Job] = OrderedDict()
        self._owners: dict[int, weakref.ref[Any]] = {}
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self.busy = False  # a job is being rendered
        self._stopping = False
        self._finished.connect(self._deliver)
        _renderers.add(self)

    def discard(self, owner: Any) -> None:
        """Forget the owner's job if it has not started (what it would draw is out of date)."""
        with self._wake:
            self._jobs.pop(id(owner), None)

    def submit(self, owner: Any, job: Job) -> None:
        """Render ``job`` for ``owner`` (whose ``deliver(job, rendering)`` gets the result)."""
        with self._wake:
            self._owners[job.owner] = weakref.ref(owner)
            self._jobs.pop(job.owner, None)
            self._jobs[job.owner] = job
            if self._thread is None or not self._thread.is_alive():
                shorter_switch_interval()
                self._thread = threading.Thread(target=self._run, name="chart-render", daemon=True)
                self._thread.start()
            self._wake.notify()

    def pending(self) -> int:
        with self._wake:
            return len(self._jobs) + (1 if self.busy else 0)

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._jobs and not self._stopping:
                    self.busy = False
                    self._wake.wait()
                if self._stopping:
                    self.busy = False
                    return
                _, job = self._jobs.popitem(last=False)
                self.busy = True
            try:
                result = render.build_and_render(
                    job.draw, job.data, job.theme, job.width, job.height, job.ratio
                )
            except Exception:  # a chart that cannot be drawn must not stop the others
                log.exception("could not draw the chart")
                result = None
            try:
                self._finished.emit(job, result)  # queued: delivered on the UI thread
            except RuntimeError:  # the application is shutting down
                return

    def stop(self, timeout_s: float = 2.0) -> None:
        """End the thread once its current job is done (at exit: a daemon thread still in
        matplotlib's C++ when the interpreter goes away aborts the process)."""
        with self._wake:
            self._stopping = True
            self._jobs.clear()
            self._wake.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout_s)

    def _deliver(self, job: Job, rendering: render.Rendering | None) -> None:
        ref = self._owners.get(job.owner)
        owner = ref() if ref is not None else None
        if owner is None or not shiboken6.isValid(owner):
            return
        owner.deliver(job, rendering)

    def wait_idle(self, timeout_s: float = 30.0) -> bool:
        """Block until every job is rendered (tests and benchmarks); results still arrive
        through the event loop."""
        import time

        deadline = time.monotonic() + timeout_s
        while self.pending():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True


_shared: ChartRenderer | None = None
_renderers: weakref.WeakSet[ChartRenderer] = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    for renderer in list(_renderers):
        renderer.stop()


def shared() -> ChartRenderer:
    """The application's one chart renderer (made on first use, on the UI thread)."""
    global _shared
    if _shared is None or not shiboken6.isValid(_shared):
        _shared = ChartRenderer()
    return _shared
