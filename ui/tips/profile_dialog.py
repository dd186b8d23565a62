"""The optional health profile: age range, conditions and medicines, every answer skippable.

It only switches on tips and doctor reminders that depend on age or a known condition; it stays
in the local diary file and is never exported.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from tracker.advice.profile import Profile, load_profile, save_profile
from tracker.diary import vocab
from tracker.store import StoreError


class ProfileDialog(QDialog):
    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Health profile (optional)")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Everything here is optional and stays only in your diary file on this computer. "
            "It lets the app show tips and doctor reminders that depend on age or a known "
            "condition. Leave anything blank that you would rather not say."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.age_combo = QComboBox()
        self.age_combo.setAccessibleName("Age range")
        self.age_combo.addItem("Prefer not to say", None)
        for code, text in vocab.AGE_RANGES.items():
            self.age_combo.addItem(text, code)
        form.addRow("&Age range:", self.age_combo)

        grid_host = QWidget()
        self._grid = QGridLayout(grid_host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.condition_boxes: dict[str, QCheckBox] = {}
        for code, text in vocab.CONDITIONS_OFFERED.items():
            self._add_condition_box(code, text)
        first_box = next(iter(self.condition_boxes.values()))
        conditions_label = QLabel("&Conditions:")
        conditions_label.setBuddy(first_box)
        form.addRow(conditions_label, grid_host)

        self.other_edit = QLineEdit()
        self.other_edit.setAccessibleName("Other conditions")
        self.other_edit.setPlaceholderText(
            "A note for yourself (optional; the app does not act on it)"
        )
        self.other_edit.setToolTip(
            "Kept as you type it. The app never guesses what it means; tick a condition above "
            "for tips and doctor reminders about it."
        )
        form.addRow("&Other conditions:", self.other_edit)
        self.medicines_edit = QPlainTextEdit()
        self.medicines_edit.setPlaceholderText("Medicines you take, one per line (optional)")
        self.medicines_edit.setTabChangesFocus(True)
        self.medicines_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        form.addRow("&Medicines:", self.medicines_edit)
        layout.addLayout(form)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Reset
        )
        buttons.button(QDialogButtonBox.StandardButton.Reset).setText("Clear all")
        buttons.button(QDialogButtonBox.StandardButton.Reset).clicked.connect(self.clear)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.load(load_profile(store))

    def _add_condition_box(self, code: str, text: str) -> QCheckBox:
        box = QCheckBox(text)
        box.setAccessibleName(f"Condition: {text}")
        i = len(self.condition_boxes)
        self.condition_boxes[code] = box
        self._grid.addWidget(box, i // 2, i % 2)
        return box

    def load(self, profile: Profile) -> None:
        index = self.age_combo.findData(profile.age_range)
        self.age_combo.setCurrentIndex(max(index, 0))
        # An answer from an earlier version (no longer offered) is shown, ticked, so that it is
        # neither lost on save nor kept without the person seeing it; they may untick it and
        # tick the newer, more specific choices instead.
        for code in profile.conditions:
            if code not in self.condition_boxes and code in vocab.LEGACY_CONDITIONS:
                self._add_condition_box(code, vocab.LEGACY_CONDITIONS[code])
        for code, box in self.condition_boxes.items():
            box.setChecked(code in profile.conditions)
        self.other_edit.setText(profile.other_conditions)
        self.medicines_edit.setPlainText(profile.medicines)

    def clear(self) -> None:
        self.load(Profile())

    def profile(self) -> Profile:
        return Profile(
            age_range=self.age_combo.currentData(),
            conditions=tuple(c for c, box in self.condition_boxes.items() if box.isChecked()),
            other_conditions=self.other_edit.text(),
            medicines=self.medicines_edit.toPlainText(),
        )

    def accept(self) -> None:
        try:
            save_profile(self.store, self.profile())
        except StoreError as exc:
            QMessageBox.warning(self, "Health profile", f"The profile was not saved: {exc}")
            return
        super().accept()
