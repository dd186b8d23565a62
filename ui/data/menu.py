"""File-menu actions that keep the data the user's own: export, import, backups and restore.

Installed by the main window's finish_setup(). Also takes the day's automatic backup shortly
after start-up (not during it, so the window appears as fast as without it), in a worker with
its own read-only connection and no progress dialog: a big diary's copy takes seconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction

from tracker.diary.progress import Progress
from tracker.store import StoreError
from tracker.store.backup import daily_backup_if_due
from ui.widgets.background import run_in_background

if TYPE_CHECKING:
    from ui.data.backup_dialog import BackupDialog
    from ui.data.export_dialog import ExportDialog
    from ui.data.import_dialog import ImportDialog
    from ui.shell.main_window import MainWindow

DAILY_BACKUP_DELAY_MS = 3000
NEVER_MS = 2**31 - 1  # the daily backup never shows a progress dialog


class DataMenu(QObject):
    """A child of the window, so it lives as long as the window whoever keeps it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.export_action = QAction("&Export…", window)
        self.export_action.setShortcut("Ctrl+Shift+E")
        self.export_action.triggered.connect(self.export)
        self.import_action = QAction("&Import…", window)
        self.import_action.setShortcut("Ctrl+Shift+I")
        self.import_action.triggered.connect(self.import_)
        self.backup_action = QAction("&Back up now…", window)
        self.backup_action.triggered.connect(self.back_up_now)
        self.restore_action = QAction("&Restore from backup…", window)
        self.restore_action.triggered.connect(self.backups)
        window.add_file_actions(
            self.export_action, self.import_action, self.backup_action, self.restore_action
        )
        QTimer.singleShot(DAILY_BACKUP_DELAY_MS, window, self.daily_backup)  # not after close

    def export(self) -> ExportDialog:
        from ui.data.export_dialog import ExportDialog

        dialog = ExportDialog(self.window.store, self.window)
        if dialog.exec() and dialog.outcome is not None:
            self.window.show_status(dialog.outcome.describe())
        dialog.deleteLater()  # each use builds a new one: do not keep old ones as children
        return dialog

    def import_(self) -> ImportDialog:
        from ui.data.import_dialog import ImportDialog

        dialog = ImportDialog(self.window.store, self.window)
        result = dialog.import_result if dialog.exec() else None
        if result is not None:
            self.window.episodes_changed.emit()
            self.window.show_status(
                f"{result.describe()} The diary as it was before is in '{result.backup_path}'."
            )
        dialog.deleteLater()  # frees the preview, which may hold a whole imported file
        return dialog

    def back_up_now(self) -> BackupDialog:
        from ui.data.backup_dialog import BackupDialog

        dialog = BackupDialog(self.window)
        dialog.back_up_now()
        return dialog

    def backups(self) -> BackupDialog:
        from ui.data.backup_dialog import BackupDialog

        dialog = BackupDialog(self.window)
        dialog.exec()
        dialog.deleteLater()
        return dialog

    def daily_backup(self) -> None:
        store = self.window.store
        if store is None or not store.is_open or store.readonly:
            return

        def work(progress: Progress) -> Path | None:
            with store.reader() as reader:  # this thread's own connection, no second check
                return daily_backup_if_due(reader)

        run_in_background(
            self.window, "Daily backup", work, self._daily_done, self._daily_failed, None, NEVER_MS
        )

    def _daily_done(self, path: Path | None) -> None:
        if path is not None:
            self.window.show_status(f"Daily backup saved in '{path.parent}'.")

    def _daily_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, StoreError):
            raise exc
        self.window.show_status(f"The daily backup could not be made: {exc}", 20000)


def install(window: MainWindow) -> DataMenu:
    """Add the actions above File > Quit; the window keeps the menu as ``data_menu``."""
    return DataMenu(window)
