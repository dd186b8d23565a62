"""The dialog around the episode form: Enter saves, a bad field keeps the dialog open."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tracker.diary.episode import Episode, ValidationError, validate
from tracker.store import StoreError
from ui.episode.form import EpisodeForm


class LogDialog(QDialog):
    """Log a new episode or edit one. ``save`` writes it and returns the stored episode."""

    def __init__(self, save: Callable[[Episode], Episode], parent=None, *, editing: bool = False):
        super().__init__(parent)
        self._save = save
        self.timed = False  # filled in by the cramp timer: cancelling asks before discarding
        self.saved_episode: Episode | None = None
        self.warnings: list[str] = []
        self.setWindowTitle("Edit episode" if editing else "Log a cramp")
        self.setAccessibleName(self.windowTitle())
        layout = QVBoxLayout(self)
        self.form = EpisodeForm()
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(scroll)
        self.scroll_area = scroll
        # Tab or an Alt+letter may move focus below the visible part: scroll it into view.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._scroll_to_focus)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save changes" if editing else "Save")
        self.save_button.setAccessibleName(self.save_button.text())
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        # Enter in the notes starts a new line; Ctrl+Enter saves from anywhere in the form.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.try_save)
        hint = QLabel("Enter saves (Ctrl+Enter in notes) · Esc cancels")
        hint.setEnabled(False)
        bottom.addWidget(hint)
        bottom.addWidget(self.buttons, 1)
        layout.addLayout(bottom)
        self.form.details_toggle.toggled.connect(self._fit)
        self._fit()

    def start_again(self, save: Callable[[Episode], Episode] | None = None) -> None:
        """Before the dialog is shown again: nothing of its last use is kept (the form is
        loaded next). ``save``: a different save for this use (an edit saves its episode)."""
        if save is not None:
            self._save = save
        self.timed = False
        self.saved_episode = None
        self.warnings = []
        focused = self.focusWidget()
        if focused is not None:
            focused.clearFocus()  # shown again, focus starts where a new dialog's does
        self.scroll_area.verticalScrollBar().setValue(0)

    def prepare_to_show(self) -> None:
        """Polish and lay out now (built ahead, hidden), so that the first show is quick."""
        self.ensurePolished()
        self._fit()

    def _scroll_to_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and shiboken6.isValid(self) and self.form.isAncestorOf(new):
            self.scroll_area.ensureWidgetVisible(new)

    def _fit(self, *_) -> None:
        """As big as the form wants, within the screen: no sideways scrolling."""
        self.form.ensurePolished()  # fonts and styles first, or the hint is too small
        form_layout = self.form.layout()
        if form_layout is not None:
            form_layout.activate()
        hint = self.form.sizeHint()
        screen = self.screen().availableGeometry() if self.screen() else None
        max_height = int(screen.height() * 0.9) if screen else 900
        max_width = int(screen.width() * 0.95) if screen else 1200
        bar = self.scroll_area.verticalScrollBar().sizeHint().width()
        width = min(max(hint.width() + bar + 40, 720), max_width)
        self.resize(width, min(hint.height() + 80, max_height))

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._fit()  # the form's content (e.g. "as last" buttons) is known by now
        super().showEvent(event)

    def try_save(self) -> bool:
        episode = self.form.episode()
        try:
            self.warnings = validate(episode)
            self.saved_episode = self._save(episode)
        except ValidationError as exc:
            self.form.show_errors(exc.errors)
            return False
        except StoreError as exc:
            QMessageBox.critical(self, "Could not save", str(exc))
            return False
        self.accept()
        return True
