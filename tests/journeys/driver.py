"""Run a scripted person through the real event loop.

Each step is a plain function; the driver runs them one after another from timers inside
``QApplication.exec()``, with deferred deletes and other posted events processed between steps,
so the app behaves as it does for a person (a dialog closed in one step is really deleted before
the next). Like a window manager, the driver gives focus back to the topmost visible window
when the active one closed (the offscreen platform has no window manager to do it). A step may
return a number of milliseconds to wait before the next one, or a
``WaitUntil`` to poll a condition. The first failure stops the loop and is raised by ``run``.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtWidgets import QApplication


@dataclass
class WaitUntil:
    condition: Callable[[], bool]
    what: str
    timeout_ms: int = 15000  # generous: a loaded 2-core CI machine must not fail a journey


class Journey:
    def __init__(self, timeout_ms: int = 120_000):
        self.steps: list[tuple[str, Callable]] = []
        self.errors: list[str] = []
        self.done: list[str] = []
        self._timeout_ms = timeout_ms

    def step(self, name: str):
        """Decorator: add a step."""

        def add(fn):
            self.steps.append((name, fn))
            return fn

        return add

    def add(self, name: str, fn: Callable) -> None:
        self.steps.append((name, fn))

    # ----------------------------------------------------------------- running
    def run(self) -> None:
        app = QApplication.instance()
        queue = list(self.steps)

        def fail(message: str) -> None:
            self.errors.append(message)
            app.quit()

        def poll(wait: WaitUntil, name: str, left_ms: int) -> None:
            try:
                ready = wait.condition()
            except Exception:
                fail(f"step {name!r} wait {wait.what!r}:\n{traceback.format_exc()}")
                return
            if ready:
                QTimer.singleShot(0, next_step)
            elif left_ms <= 0:
                fail(f"step {name!r}: timed out waiting for {wait.what}")
            else:
                QTimer.singleShot(20, lambda: poll(wait, name, left_ms - 20))

        def next_step() -> None:
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            if _activate_like_a_window_manager(app):
                QTimer.singleShot(10, next_step)  # let the activation land first
                return
            if not queue:
                app.quit()
                return
            name, fn = queue.pop(0)
            try:
                result = fn()
            except Exception:
                fail(f"step {name!r} failed:\n{traceback.format_exc()}")
                return
            self.done.append(name)
            if isinstance(result, WaitUntil):
                QTimer.singleShot(0, lambda: poll(result, name, result.timeout_ms))
            else:
                QTimer.singleShot(int(result or 0), next_step)

        watchdog = QTimer()
        watchdog.setSingleShot(True)
        watchdog.timeout.connect(lambda: fail(f"journey timed out after {self.done[-1:]}"))
        watchdog.start(self._timeout_ms)
        QTimer.singleShot(0, next_step)
        # The journey, not the last closed window, decides when this loop ends.
        quit_on_close = app.quitOnLastWindowClosed()
        app.setQuitOnLastWindowClosed(False)
        try:
            app.exec()
        finally:
            app.setQuitOnLastWindowClosed(quit_on_close)
        watchdog.stop()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if self.errors:
            raise AssertionError("\n".join(self.errors) + f"\n(steps done: {self.done})")
        assert not queue, f"steps not run: {[n for n, _ in queue]}"


def _activate_like_a_window_manager(app) -> bool:
    """Activate the topmost visible window if none is active; True if it had to."""
    if app.activeWindow() is not None:
        return False
    modal = app.activeModalWidget()
    visible = [w for w in app.topLevelWidgets() if w.isVisible() and w.isWindow()]
    target = modal if modal is not None and modal.isVisible() else (visible or [None])[-1]
    if target is None:
        return False
    target.activateWindow()
    return True
