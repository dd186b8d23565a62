"""Logging and editing episodes: the log form, the cramp timer and its recovery, edit dialogs.

Every route (button, Ctrl+N, timer, edit) works any number of times in one session. The log
form and the edit form are each built once and shown again (hidden on close, never deleted):
building one costs 50-100 ms of the UI thread, more than a key press may wait. Both are built
ahead, a moment after start-up (``prepare``). A dialog Qt deleted anyway (its parent gone) is
forgotten, so this class never uses a deleted C++ object.

Qt's enum namespace (``Qt``) and ``shiboken6`` are imported where first needed: this module is
loaded at start-up, and the enum namespace alone costs about 12 ms there.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject

from tracker.diary.episode import MAX_DURATION_S, Episode, format_duration
from tracker.diary.timer_state import TimerState
from tracker.store import EpisodeNotFoundError
from ui.episode.commands import AddEpisodeCommand, EditEpisodeCommand
from ui.episode.timer_recovery import TimerRecoveryNotice, pending_text, running_text
from ui.widgets.dates import short_date, short_time


def _is_alive(obj) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)


# The log form is built this long after start-up's pages are in (not during the first paint),
# the edit form twice as long.
PREPARE_DELAY_MS = 1500


def _no_save(episode: Episode) -> Episode:
    raise AssertionError("the edit form is given its episode's save before it is shown")


class LogFlow(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.timer_state = TimerState(lambda: window.store)
        self._log_dialog = None  # the log form while it is open
        self._spare_log = None  # the log form, built once, hidden between uses
        self._spare_edit = None  # the edit form, likewise
        self._recovery: TimerRecoveryNotice | None = None
        window.timer.started.connect(self.timer_state.mark_running)
        window.timer.finished.connect(self._timer_finished)

    # ----------------------------------------------------------------- the log form
    @property
    def log_dialog(self):
        """The open log form, or None."""
        if self._log_dialog is not None and not _is_alive(self._log_dialog):
            self._log_dialog = None
        return self._log_dialog

    def prepare(self) -> None:
        """Build the log form, then the edit form, a moment from now (hidden), so that the
        first Ctrl+N or edit shows one at once instead of building it (50-100 ms)."""
        from PySide6.QtCore import QTimer

        QTimer.singleShot(PREPARE_DELAY_MS, self, self._spare_log_dialog)
        QTimer.singleShot(2 * PREPARE_DELAY_MS, self, self._spare_edit_dialog)

    def _spare_log_dialog(self):
        """The log form, built (hidden) the first time it is needed."""
        if self._spare_log is None or not _is_alive(self._spare_log):
            from ui.episode.log_dialog import (
                LogDialog,  # not needed until the first log: keeps start-up fast
            )

            dialog = LogDialog(self._save_new, self.window)
            dialog.finished.connect(self._forget_log_dialog)
            dialog.accepted.connect(lambda: self._after_save(dialog))
            dialog.rejected.connect(lambda: self._after_cancel(dialog))
            dialog.prepare_to_show()
            self._spare_log = dialog
        return self._spare_log

    def open_log_dialog(
        self, start: datetime | None = None, seconds: int | None = None, *, timed: bool = False
    ):
        dialog = self.log_dialog
        if dialog is not None and dialog.isVisible():
            if start is not None:
                dialog.form.set_start(start)
            if seconds is not None:
                dialog.form.set_duration(seconds)
            dialog.timed = dialog.timed or timed
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        window = self.window
        dialog = self._spare_log_dialog()
        dialog.start_again()
        dialog.timed = timed
        dialog.form.load_new(window.store.last_defaults())
        if start is not None:
            dialog.form.set_start(start)
        if seconds is not None:
            dialog.form.set_duration(seconds)
        self._log_dialog = dialog
        dialog.open()
        return dialog

    def _forget_log_dialog(self, *_) -> None:
        self._log_dialog = None  # closed: kept hidden for the next log

    def _save_new(self, episode: Episode) -> Episode:
        window = self.window
        saved = window.store.add_episode(episode)
        window.undo_stack.push(AddEpisodeCommand(window.command_context, saved))
        window.episodes_changed.emit()
        return saved

    def _after_save(self, dialog) -> None:
        saved = dialog.saved_episode
        if dialog.timed:
            self.timer_state.clear()
        text = (
            f"Saved: cramp on {short_date(saved.started_at)} at {short_time(saved.started_at)}, "
            f"{format_duration(saved.duration_s)}"
            + (f", severity {saved.severity}/10." if saved.severity is not None else ".")
        )
        if dialog.warnings:
            text += " " + " ".join(dialog.warnings)
        self.window.show_status(text, 15000)
        if self.window.history is not None:
            self.window.history.select_ids([saved.id])
        self.window.episode_saved.emit(saved)

    def _after_cancel(self, dialog) -> None:
        pending = self.timer_state.pending()
        if not dialog.timed or pending is None:
            return
        started, seconds = pending
        from PySide6.QtWidgets import QMessageBox  # lazily: its type costs start-up ~1.5 ms

        answer = QMessageBox.question(
            self.window,
            "Discard the timed cramp?",
            f"The cramp you timed at {short_time(started.astimezone())} "
            f"({format_duration(seconds)}) is not logged. Discard it?\n\nChoose No to keep it: "
            "you can log it later from the notice in the main window.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.timer_state.clear()
            self.window.show_status("The timed cramp was discarded.")
        else:
            self.offer_recovery()

    # ----------------------------------------------------------------- the cramp timer
    def _timer_finished(self, start: datetime, seconds: int) -> None:
        self.timer_state.mark_stopped(start, seconds)
        self._close_recovery()
        self.open_log_dialog(start, seconds, timed=True)

    def offer_recovery(self) -> None:
        """After start-up (or a cancelled timed form): offer to log a cramp the timer kept."""
        self._close_recovery()
        now = datetime.now().astimezone()
        running = self.timer_state.running_since()
        pending = self.timer_state.pending()
        if running is not None and not self.window.timer.running:
            notice = TimerRecoveryNotice(running_text(running, now), can_resume=True)
            notice.log_requested.connect(lambda: self._log_recovered_running(running))
            notice.resume_requested.connect(lambda: self._resume(running))
        elif pending is not None:
            notice = TimerRecoveryNotice(pending_text(*pending, now), can_resume=False)
            notice.log_requested.connect(lambda: self._log_pending(*pending))
        else:
            return
        notice.discard_requested.connect(self._discard)
        self._recovery = notice
        notice.destroyed.connect(self._forget_recovery)
        self.window.notice_layout.insertWidget(0, notice)

    def _forget_recovery(self, *_) -> None:
        self._recovery = None

    @property
    def recovery_notice(self) -> TimerRecoveryNotice | None:
        if self._recovery is not None and not _is_alive(self._recovery):
            self._recovery = None
        return self._recovery

    def _close_recovery(self) -> None:
        notice = self.recovery_notice
        if notice is not None:
            notice.hide()
            notice.deleteLater()
            self._recovery = None

    def _log_recovered_running(self, started: datetime) -> None:
        elapsed = (datetime.now().astimezone() - started).total_seconds()
        seconds = int(max(1, min(elapsed, MAX_DURATION_S)))
        self.timer_state.mark_stopped(started, seconds)
        self._close_recovery()
        self.open_log_dialog(started, seconds, timed=True)

    def _log_pending(self, started: datetime, seconds: int) -> None:
        self._close_recovery()
        self.open_log_dialog(started, seconds, timed=True)

    def _resume(self, started: datetime) -> None:
        self._close_recovery()
        self.window.timer.resume(started)

    def _discard(self) -> None:
        self.timer_state.clear()
        self._close_recovery()
        self.window.show_status("The timed cramp was discarded.")

    # ----------------------------------------------------------------- editing
    def _spare_edit_dialog(self):
        """The edit form, built (hidden) the first time it is needed; each edit gives it the
        save of its episode (LogDialog.start_again)."""
        if self._spare_edit is None or not _is_alive(self._spare_edit):
            from ui.episode.log_dialog import LogDialog

            window = self.window
            dialog = LogDialog(_no_save, window, editing=True)
            dialog.accepted.connect(lambda: window.show_status("Saved changes to the episode."))
            dialog.prepare_to_show()
            self._spare_edit = dialog
        return self._spare_edit

    def edit_episode(self, episode_id: int):
        window = self.window
        try:
            before = window.store.get_episode(episode_id)
        except EpisodeNotFoundError as exc:
            window.show_error(str(exc))
            return None

        def save(after: Episode) -> Episode:
            saved = window.store.update_episode(after)
            window.undo_stack.push(EditEpisodeCommand(window.command_context, before, saved))
            window.episodes_changed.emit()
            return saved

        dialog = self._spare_edit_dialog()
        if dialog.isVisible():
            dialog.reject()  # one edit at a time: the form opens on this episode instead
        dialog.start_again(save)
        dialog.form.load_episode(before)
        dialog.open()
        return dialog
