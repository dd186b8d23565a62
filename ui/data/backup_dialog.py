"""Backups dialog: back up now to any folder, or restore from a listed backup or any file.

Restore goes through tracker.store.backup.restore_database, which verifies the chosen file and backs
up the current diary before swapping it in; the window then switches to the restored store.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
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

from tracker.store import StoreError, backup_dir
from tracker.store.backup import (
    BackupInfo,
    backup_to,
    list_backups,
    restore_database,
    verify_backup,
)
from ui.widgets.dates import date_time, long_date_time
from ui.widgets.file_dialogs import choose_folder, dated_name

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class BackupDialog(QDialog):
    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.window_ = window
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

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
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
        self.model.clear()
        self.backups = list_backups(self.window_.store.path)
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

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected_path() is not None)

    def selected_path(self) -> Path | None:
        indexes = self.list_view.selectionModel().selectedIndexes()
        if not indexes or not indexes[0].flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        value = indexes[0].data(PATH_ROLE)
        return Path(value) if value else None

    # ----------------------------------------------------------------- actions
    def back_up_now(self) -> None:
        # File > Back up now opens only the folder dialog: centre it on the window then
        folder = choose_folder(
            self if self.isVisible() else self.window_, "backup", "Back up to folder"
        )
        if not folder:
            return
        store = self.window_.store
        target = Path(folder) / dated_name(f"{store.path.stem}-backup", ".sqlite", datetime.now())
        try:
            backup_to(store, target)
        except StoreError as exc:
            QMessageBox.warning(self, "Backup failed", str(exc))
            return
        self.window_.show_status(f"Backed up {store.count_episodes():,} episodes to '{target}'.")
        QMessageBox.information(self, "Backup saved", f"Your diary was copied to\n{target}")

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

    def restore(self, path: Path) -> bool:
        try:
            info = verify_backup(path)
        except StoreError as exc:
            QMessageBox.warning(self, "Cannot restore", f"{exc}\n\nYour diary was not changed.")
            return False
        store = self.window_.store
        when = long_date_time(info.taken_at) if info.taken_at else f"'{path.name}'"
        answer = QMessageBox.question(
            self,
            "Restore from backup",
            f"Replace your diary ({store.count_episodes():,} episodes) with the backup from "
            f"{when} ({info.episodes:,} episodes)?\n\nYour current diary is backed up first.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            new_store = restore_database(store, path)
        except StoreError as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, "Cannot restore", f"{exc}\n\nYour diary was not changed.")
            return False
        QApplication.restoreOverrideCursor()
        self.window_.replace_store(new_store)
        self.window_.show_status(f"Restored {new_store.count_episodes():,} episodes from {when}.")
        self.reload()
        return True


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
