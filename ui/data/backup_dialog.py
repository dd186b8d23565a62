"""Backups dialog: back up now to any folder, or restore from a listed backup or any file.

Restore goes the way of tracker.store.backup.restore_database, which verifies the chosen file and
backs up the current diary before swapping it in; the window then switches to the restored store.

The slow parts run in workers with their own connections (ui.widgets.background), with a
progress dialog and Cancel when they take over a second: the backup, the check of the chosen
file, and the preparation of a restore (copy, check, safety copy). Cancel works until the
restored diary is put in place; that last step (close, rename, reopen) runs here, on the UI
thread, as the window's store belongs to it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from tracker.diary.progress import Progress
from tracker.store import StoreError, backup_dir
from tracker.store.backup import (
    PUTTING_IN_PLACE,
    BackupInfo,
    PreparedRestore,
    backup_to,
    finish_restore,
    list_backups,
    prepare_restore,
    verify_backup,
)
from ui.widgets.background import SHOW_AFTER_MS, BackgroundTask, run_in_background
from ui.widgets.dates import date_time, long_date_time
from ui.widgets.file_dialogs import choose_folder, dated_name

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
CANCEL_CHECK_MS = 20
NEVER_MS = 2**31 - 1  # reading the list never shows a progress dialog


class BackupDialog(QDialog):
    # "saved", "restored", "failed", "cancelled" or "declined": each action ends with one
    work_ended = Signal(str)
    listed = Signal()  # the list of backups is shown (it is read in a worker)

    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.window_ = window
        self.task: BackgroundTask | None = None  # the work under way
        self.listing: BackgroundTask | None = None  # the list of backups being read
        self.show_after_ms = SHOW_AFTER_MS
        self._closing = False
        self.setWindowTitle("Backups")
        layout = QVBoxLayout(self)

        now_box = QGroupBox("Back up now")
        now_layout = QVBoxLayout(now_box)
        text = QLabel(
            "Save a complete copy of your diary to any folder, for example a USB stick or a "
            "cloud folder. Cramp Tracker also keeps daily copies by itself in "
            f"'{backup_dir(window.store.path)}'."
        )
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        now_layout.addWidget(text)
        self.backup_button = QPushButton("&Back up now to a folder…")
        self.backup_button.setAccessibleName("Back up now to a folder")
        self.backup_button.clicked.connect(self.back_up_now)
        row = QHBoxLayout()
        row.addWidget(self.backup_button)
        row.addStretch(1)
        now_layout.addLayout(row)
        layout.addWidget(now_box)

        restore_box = QGroupBox("Restore from backup")
        restore_layout = QVBoxLayout(restore_box)
        warning = QLabel(
            "Restoring replaces the diary with the backup's contents. Your current diary is "
            "backed up first, so this can be undone by restoring that copy."
        )
        warning.setWordWrap(True)
        restore_layout.addWidget(warning)
        self.model = QStandardItemModel(self)
        self.list_view = QListView()
        self.list_view.setAccessibleName("Backups, newest first")
        self.list_view.setModel(self.model)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setMinimumHeight(self.fontMetrics().lineSpacing() * 10)
        self.list_view.doubleClicked.connect(lambda _index: self.restore_selected())
        restore_layout.addWidget(self.list_view, 1)
        buttons = QHBoxLayout()
        self.restore_button = QPushButton("&Restore selected…")
        self.restore_button.clicked.connect(self.restore_selected)
        self.other_button = QPushButton("Restore from &another file…")
        self.other_button.clicked.connect(self.restore_other)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.other_button)
        buttons.addStretch(1)
        restore_layout.addLayout(buttons)
        layout.addWidget(restore_box, 1)

        close = self.close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.list_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.reload()
        hint = self.sizeHint()
        self.resize(
            max(hint.width(), self.fontMetrics().averageCharWidth() * 90),
            max(hint.height(), self.fontMetrics().height() * 28),
        )

    def reload(self) -> None:
        """List the backups in a worker: each is opened to count its episodes, which takes
        a while for many copies of a big diary. ``listed`` follows."""
        self.model.clear()
        self.backups: list[BackupInfo] | None = None
        reading = QStandardItem("Reading the backups…")
        reading.setEnabled(False)
        self.model.appendRow(reading)
        self._update_buttons()
        db_path = self.window_.store.path
        self.listing = run_in_background(
            self,
            "Backups",
            lambda progress: list_backups(db_path),
            self._show_backups,
            self._listing_failed,
            None,
            NEVER_MS,
        )

    def _listing_failed(self, exc: BaseException) -> None:
        self._show_backups([])
        raise exc

    def _show_backups(self, backups: list[BackupInfo]) -> None:
        self.listing = None
        self.model.clear()
        self.backups = backups
        for info in self.backups:
            item = QStandardItem(_describe(info))
            item.setData(str(info.path), PATH_ROLE)
            item.setToolTip(str(info.path))
            if info.problem:
                item.setEnabled(False)
            self.model.appendRow(item)
        if not self.backups:
            placeholder = QStandardItem("No backups yet.")
            placeholder.setEnabled(False)
            self.model.appendRow(placeholder)
        self._update_buttons()
        self.listed.emit()

    def _update_buttons(self) -> None:
        idle = self.task is None
        self.restore_button.setEnabled(idle and self.selected_path() is not None)
        self.backup_button.setEnabled(idle)
        self.other_button.setEnabled(idle)

    def selected_path(self) -> Path | None:
        indexes = self.list_view.selectionModel().selectedIndexes()
        if not indexes or not indexes[0].flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        value = indexes[0].data(PATH_ROLE)
        return Path(value) if value else None

    # ----------------------------------------------------------------- work in a worker
    def _run(self, title, work, on_done, on_failed) -> None:
        """Run ``work(progress)`` in a worker; the action buttons wait until it ends."""
        self.task = run_in_background(
            self if self.isVisible() else self.window_,
            title,
            work,
            lambda result: self._ended(on_done, result),
            lambda exc: self._ended(on_failed, exc),
            lambda: self._ended(self.work_ended.emit, "cancelled"),
            show_after_ms=self.show_after_ms,
        )
        self.task.progressed.connect(self._on_progress)
        self._update_buttons()

    def _ended(self, then, value) -> None:
        self.task = None
        self._update_buttons()
        if self._closing:
            if isinstance(value, PreparedRestore):
                value.discard()  # closed meanwhile: the diary stays as it is
            return
        then(value)

    def _on_progress(self, done: int, total: int, text: str) -> None:
        """Once the restored diary is being put in place, it can no longer be cancelled."""
        if text == PUTTING_IN_PLACE:
            self._remove_cancel(self.task)

    def _remove_cancel(self, task: BackgroundTask | None) -> None:
        """Take Cancel off the task's progress dialog; if the dialog is still to appear, look
        again shortly (it appears with Cancel, a second after the work began)."""
        if task is None or task is not self.task:
            return  # ended meanwhile
        if task.dialog is not None:
            task.dialog.setCancelButton(None)
        else:
            QTimer.singleShot(CANCEL_CHECK_MS, self, lambda: self._remove_cancel(task))

    def reject(self) -> None:
        """Closing while working cancels the work and waits for it to undo itself."""
        if self.task is not None:
            self._closing = True
            self.task.cancel()
            self.task.wait(30)
        super().reject()

    # ----------------------------------------------------------------- actions
    def back_up_now(self) -> None:
        # File > Back up now opens only the folder dialog: centre it on the window then
        folder = choose_folder(
            self if self.isVisible() else self.window_, "backup", "Back up to folder"
        )
        if not folder or self.task is not None:
            return
        diary = self.window_.store
        target = Path(folder) / dated_name(f"{diary.path.stem}-backup", ".sqlite", datetime.now())

        def work(progress: Progress) -> int:
            with diary.reader() as reader:  # this thread's own connection, no second check
                backup_to(reader, target, progress=progress)
                return reader.count_episodes()

        self._run(
            "Back up", work, lambda count: self._backed_up(count, target), self._backup_failed
        )

    def _backed_up(self, count: int, target: Path) -> None:
        self.window_.show_status(f"Backed up {count:,} episodes to '{target}'.")
        QMessageBox.information(self, "Backup saved", f"Your diary was copied to\n{target}")
        self.work_ended.emit("saved")

    def _backup_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, StoreError):
            raise exc
        QMessageBox.warning(self, "Backup failed", str(exc))
        self.work_ended.emit("failed")

    def restore_selected(self) -> None:
        path = self.selected_path()
        if path is not None:
            self.restore(path)

    def restore_other(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Restore from file",
            str(backup_dir(self.window_.store.path)),
            "Cramp Tracker databases (*.sqlite *.db);;All files (*)",
        )
        if path:
            self.restore(Path(path))

    def restore(self, path: Path) -> None:
        """Check ``path`` (in a worker), ask, prepare the restore (in a worker), swap it in.
        ``work_ended`` says how it ended."""
        if self.task is not None:
            return
        diary = self.window_.store

        def check(progress: Progress) -> tuple[BackupInfo, int]:
            info = verify_backup(path, progress=progress)
            with diary.reader() as reader:
                return info, reader.count_episodes()

        self._run("Restore", check, lambda found: self._ask(path, *found), self._restore_failed)

    def _ask(self, path: Path, info: BackupInfo, current: int) -> None:
        when = long_date_time(info.taken_at) if info.taken_at else f"'{path.name}'"
        answer = QMessageBox.question(
            self,
            "Restore from backup",
            f"Replace your diary ({current:,} episodes) with the backup from "
            f"{when} ({info.episodes:,} episodes)?\n\nYour current diary is backed up first.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.work_ended.emit("declined")
            return
        db_path = self.window_.store.path

        def prepare(progress: Progress) -> PreparedRestore:
            return prepare_restore(db_path, path, verified=info, progress=progress)

        self._run("Restore", prepare, lambda ready: self._swap(ready, when), self._restore_failed)

    def _swap(self, prepared: PreparedRestore, when: str) -> None:
        """Put the prepared copy in place: the window's store is closed and reopened here."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            new_store = finish_restore(self.window_.store, prepared)
        except StoreError as exc:
            QApplication.restoreOverrideCursor()
            self._restore_failed(exc)
            return
        QApplication.restoreOverrideCursor()
        self.window_.replace_store(new_store)
        self.window_.show_status(f"Restored {prepared.info.episodes:,} episodes from {when}.")
        self.reload()
        self.work_ended.emit("restored")

    def _restore_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, StoreError):
            raise exc
        QMessageBox.warning(self, "Cannot restore", f"{exc}\n\nYour diary was not changed.")
        self.work_ended.emit("failed")


def _describe(info: BackupInfo) -> str:
    kinds = {
        "daily": "daily copy",
        "manual": "backed up by hand",
        "import": "before an import",
        "restore": "before a restore",
        "migration": "before an upgrade",
    }
    when = date_time(info.taken_at) if info.taken_at else info.path.name
    if info.problem:
        return f"{when} — cannot be used: {info.problem}"
    return f"{when} — {info.episodes:,} episodes ({kinds.get(info.kind, info.kind)})"
