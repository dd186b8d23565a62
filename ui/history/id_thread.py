"""The one thread that reads the history's ids, kept between reads.

A new ``threading.Thread`` per read made the UI thread wait in ``start()`` until the new thread
ran (``Thread.start`` waits for it): 1-10 ms on a loaded machine with two cores, sometimes
tens, at every sort, filter and search. This thread is started once and given each read
through a queue; it ends by itself after IDLE_S without work (a window left open costs no
thread), and the next read starts it again.
"""

from __future__ import annotations

import contextlib
import os
import queue
import sys
import threading
from collections.abc import Callable

IDLE_S = 30.0  # the thread ends after this long without a read
# The worker's nice value: on Linux a thread has its own, so the UI thread gets the processor
# first while SQLite sorts or searches (on two busy cores it waited for it: 50-100 ms stalls).
# The worker holds no GIL while SQLite works (see HistoryIdReader), so it cannot hold up the
# UI thread from its lower priority.
WORKER_NICE = 10


def _lower_priority() -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            me = threading.get_native_id()  # this thread only (Linux: a nice value each)
            os.setpriority(
                os.PRIO_PROCESS, me, min(19, os.getpriority(os.PRIO_PROCESS, me) + WORKER_NICE)
            )


class IdReadThread:
    """Runs jobs one after another in one worker thread. Thread-safe: ``run`` and ``stop``
    from the UI thread, jobs in the worker."""

    def __init__(self, name: str = "history-ids", idle_s: float = IDLE_S) -> None:
        self._name = name
        self._idle_s = idle_s
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._lock = threading.Condition()
        self._pending = 0  # jobs given and not finished
        self.thread: threading.Thread | None = None

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._pending > 0

    def run(self, job: Callable[[], None]) -> None:
        """Run ``job`` in the worker after the jobs before it (it must not raise)."""
        with self._lock:
            self._pending += 1
            self._jobs.put(job)
            if self.thread is None:
                self.thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
                self.thread.start()  # only the first read (or the first after an idle end)

    def stop(self, timeout_s: float) -> None:
        """End the thread once its jobs are done (their reads should be cancelled first);
        wait at most ``timeout_s``. A later ``run`` starts a new thread."""
        with self._lock:
            thread, self.thread = self.thread, None
            if thread is not None:
                self._jobs.put(None)
                self._jobs = queue.SimpleQueue()  # a later run() starts afresh
        if thread is not None:
            thread.join(timeout_s)

    def _loop(self) -> None:
        _lower_priority()
        jobs = self._jobs
        while True:
            try:
                job = jobs.get(timeout=self._idle_s)
            except queue.Empty:
                with self._lock:
                    if self._jobs is not jobs:
                        return  # stopped meanwhile (its None is behind no job)
                    if self._pending == 0:
                        self.thread = None  # idle: end; the next run() starts a new one
                        return
                continue
            if job is None:
                return
            try:
                job()
            finally:
                with self._lock:
                    self._pending -= 1
                    self._lock.notify_all()
