"""The episode form: a short part for logging in seconds, and details behind "More details".

The form only collects input and shows messages; tracker.episode.validate decides what is valid.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker import vocab
from tracker.episode import LONG_DURATION_S, Episode, format_duration
from ui.choice_widgets import CheckGrid, RadioRow

# The short form shows body areas; which toe(s) is a detail.
AREAS = {
    "toes": "Toes",
    **{k: v for k, v in vocab.SITES.items() if k not in vocab.TOE_SITES and k != "toes"},
}
ERROR_STYLE = "color: #b00020;"
WARNING_STYLE = "color: #8a5300;"


def _now() -> datetime:
    return datetime.now().astimezone().replace(second=0, microsecond=0)


def _to_qdatetime(value: datetime) -> QDateTime:
    local = value.astimezone()  # show in the machine's zone
    return QDateTime.fromSecsSinceEpoch(int(local.timestamp()), QTimeZone.systemTimeZone())


def _from_qdatetime(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toSecsSinceEpoch()).astimezone()


class EpisodeForm(QWidget):
    """All fields of an episode, with a message slot under each field."""

    submitted = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._episode_id: int | None = None
        self._created: tuple[str | None, str | None] = (None, None)
        self._error_labels: dict[str, QLabel] = {}
        outer = QVBoxLayout(self)
        self.short_form = QFormLayout()
        self.short_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        outer.addLayout(self.short_form)
        self._build_short()
        self.details_toggle = QToolButton()
        self.details_toggle.setText("More details")
        self.details_toggle.setCheckable(True)
        self.details_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.details_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_toggle.setAccessibleName("More details")
        self.details_toggle.toggled.connect(self.set_details_visible)
        outer.addWidget(self.details_toggle)
        self.details = QGroupBox("Details")
        self.details_form = QFormLayout(self.details)
        self._build_details()
        self.details.setVisible(False)
        outer.addWidget(self.details)

    # ----------------------------------------------------------------- building
    def _row(self, form: QFormLayout, label: str, field: QWidget | QHBoxLayout, name: str):
        container = QWidget()
        box = QVBoxLayout(container)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        if isinstance(field, QWidget):
            box.addWidget(field)
        else:
            box.addLayout(field)
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.setVisible(False)
        error.setAccessibleName(f"{label} message")
        box.addWidget(error)
        self._error_labels[name] = error
        label_widget = QLabel(label)
        if isinstance(field, QWidget):
            label_widget.setBuddy(field)
        form.addRow(label_widget, container)
        return label_widget

    def _build_short(self) -> None:
        self.start_edit = QDateTimeEdit()
        self.start_edit.setCalendarPopup(True)
        self.start_edit.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.start_edit.setAccessibleName("Start date and time")
        start_row = QHBoxLayout()
        start_row.addWidget(self.start_edit, 1)
        self.quick_buttons = {}
        for text, minutes in (("Now", 0), ("15 min ago", 15), ("1 hour ago", 60)):
            button = QPushButton(text)
            button.setAutoDefault(False)
            button.setAccessibleName(f"Start {text.lower()}")
            button.clicked.connect(lambda _=False, m=minutes: self.set_start_minutes_ago(m))
            self.quick_buttons[minutes] = button
            start_row.addWidget(button)
        label = self._row(self.short_form, "&Started", start_row, "started_at")
        label.setBuddy(self.start_edit)

        duration_row = QHBoxLayout()
        self.minutes_spin = QSpinBox()
        self.minutes_spin.setRange(0, 24 * 60)
        self.minutes_spin.setSuffix(" min")
        self.minutes_spin.setAccessibleName("Duration minutes")
        self.seconds_spin = QSpinBox()
        self.seconds_spin.setRange(0, 59)
        self.seconds_spin.setSuffix(" s")
        self.seconds_spin.setAccessibleName("Duration seconds")
        duration_row.addWidget(self.minutes_spin)
        duration_row.addWidget(self.seconds_spin)
        self.duration_warning = QLabel()
        self.duration_warning.setStyleSheet(WARNING_STYLE)
        self.duration_warning.setWordWrap(True)
        self.duration_warning.setAccessibleName("Duration warning")
        duration_row.addWidget(self.duration_warning, 1)
        label = self._row(self.short_form, "&Lasted", duration_row, "duration_s")
        label.setBuddy(self.minutes_spin)
        self.minutes_spin.valueChanged.connect(self._update_duration_warning)
        self.seconds_spin.valueChanged.connect(self._update_duration_warning)

        self.side = RadioRow(vocab.SIDES, "Side")
        self._row(self.short_form, "Side", self.side, "side")
        self.area = CheckGrid(AREAS, "Where it hurt", columns=3)
        self._row(self.short_form, "Where", self.area, "site")

        severity_box = QVBoxLayout()
        severity_box.setSpacing(0)
        severity_row = QHBoxLayout()
        self.severity_slider = QSlider(Qt.Orientation.Horizontal)
        self.severity_slider.setRange(0, 10)
        self.severity_slider.setPageStep(1)
        self.severity_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.severity_slider.setTickInterval(1)
        self.severity_slider.setAccessibleName("Severity from 0 (none) to 10 (worst imaginable)")
        self.severity_value = QLabel()
        self.severity_value.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("10 / 10  worst imaginable") + 8
        )
        self.severity_slider.valueChanged.connect(self._update_severity_label)
        severity_row.addWidget(self.severity_slider, 1)
        severity_row.addWidget(self.severity_value)
        anchors = QHBoxLayout()
        for text, align in (
            ("0 none", Qt.AlignmentFlag.AlignLeft),
            ("5 moderate", Qt.AlignmentFlag.AlignHCenter),
            ("10 worst imaginable", Qt.AlignmentFlag.AlignRight),
        ):
            anchor = QLabel(text)
            anchor.setAlignment(align)
            anchor.setEnabled(False)
            anchors.addWidget(anchor, 1)
        anchors.addSpacing(self.severity_value.minimumWidth() + severity_row.spacing())
        severity_box.addLayout(severity_row)
        severity_box.addLayout(anchors)
        label = self._row(self.short_form, "Se&verity", severity_box, "severity")
        label.setBuddy(self.severity_slider)

        self.activity = self._combo(vocab.ACTIVITIES, "Activity at onset")
        self._row(self.short_form, "&Doing", self.activity, "activity")
        footwear_row = QHBoxLayout()
        self.footwear = self._combo(vocab.FOOTWEAR, "Footwear at onset")
        self.footwear_tight = _check("Tight or ill-fitting")
        footwear_row.addWidget(self.footwear, 1)
        footwear_row.addWidget(self.footwear_tight)
        label = self._row(self.short_form, "&Footwear", footwear_row, "footwear")
        label.setBuddy(self.footwear)
        self.hydration = RadioRow(vocab.HYDRATION, "Hydration")
        self._row(self.short_form, "Hydration", self.hydration, "hydration")

    def _build_details(self) -> None:
        self.toes = CheckGrid(vocab.TOE_SITES, "Which toes", columns=3)
        self.toes.changed.connect(self._toes_changed)
        self._row(self.details_form, "Which toes", self.toes, "toes")
        fluid_row = QHBoxLayout()
        self.fluid_spin = QSpinBox()
        self.fluid_spin.setRange(-1, 20_000)
        self.fluid_spin.setSpecialValueText("not recorded")
        self.fluid_spin.setValue(-1)
        self.fluid_spin.setAccessibleName("Fluid drunk so far today")
        self.fluid_unit = QComboBox()
        self.fluid_unit.addItem("ml", 1)
        self.fluid_unit.addItem(f"glasses ({vocab.ML_PER_GLASS} ml)", vocab.ML_PER_GLASS)
        self.fluid_unit.setAccessibleName("Fluid unit")
        fluid_row.addWidget(self.fluid_spin)
        fluid_row.addWidget(self.fluid_unit)
        fluid_row.addStretch(1)
        self._row(self.details_form, "Drunk today", fluid_row, "fluid_ml")
        self.relief = CheckGrid(vocab.RELIEF, "Relief tried", columns=3)
        self._row(self.details_form, "Relief tried", self.relief, "relief")
        self.relief_effect = RadioRow(vocab.RELIEF_EFFECT, "Did it help")
        self._row(self.details_form, "Did it help", self.relief_effect, "relief_effect")
        self.context = CheckGrid(vocab.CONTEXT, "Possible context", columns=3)
        self._row(self.details_form, "Context", self.context, "context")
        self.warning_signs = CheckGrid(vocab.WARNING_SIGNS, "Warning signs", columns=3)
        self._row(self.details_form, "Warning signs", self.warning_signs, "warning_signs")
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Anything else: what you ate, how you slept, …")
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self._row(self.details_form, "Notes", self.notes, "notes")

    def _combo(self, vocabulary, accessible_name: str) -> QComboBox:
        combo = QComboBox()
        for code, text in vocabulary.items():
            combo.addItem(text, code)
        combo.setAccessibleName(accessible_name)
        return combo

    # ----------------------------------------------------------------- behaviour
    def set_details_visible(self, visible: bool) -> None:
        self.details.setVisible(visible)
        self.details_toggle.setChecked(visible)
        self.details_toggle.setArrowType(
            Qt.ArrowType.DownArrow if visible else Qt.ArrowType.RightArrow
        )
        self.details_toggle.setText("Fewer details" if visible else "More details")

    def set_start(self, value: datetime) -> None:
        self.start_edit.setDateTime(_to_qdatetime(value))

    def set_start_minutes_ago(self, minutes: int) -> None:
        self.start_edit.setDateTime(_to_qdatetime(_now() - timedelta(minutes=minutes)))

    def set_duration(self, seconds: int) -> None:
        minutes, secs = divmod(max(0, int(seconds)), 60)
        self.minutes_spin.setValue(minutes)
        self.seconds_spin.setValue(secs)

    def duration_s(self) -> int:
        return self.minutes_spin.value() * 60 + self.seconds_spin.value()

    def _update_duration_warning(self) -> None:
        seconds = self.duration_s()
        if seconds > LONG_DURATION_S:
            self.duration_warning.setText(
                f"{format_duration(seconds)} is unusually long for a cramp: worth telling a doctor."
            )
        else:
            self.duration_warning.clear()

    def _update_severity_label(self, value: int) -> None:
        anchor = vocab.SEVERITY_ANCHORS.get(value)
        self.severity_value.setText(f"<b>{value} / 10</b>" + (f"  {anchor}" if anchor else ""))

    def _toes_changed(self) -> None:
        if self.toes.values():
            self.area.box("toes").setChecked(True)

    def _combo_value(self, combo: QComboBox) -> str:
        return combo.currentData()

    def _set_combo(self, combo: QComboBox, code: str | None) -> None:
        index = combo.findData(code)
        if index >= 0:
            combo.setCurrentIndex(index)

    # ----------------------------------------------------------------- to and from Episode
    def load_new(self, defaults: dict) -> None:
        """Reset for a new episode: start now, last-used activity, footwear and side."""
        self._episode_id, self._created = None, (None, None)
        self.set_start_minutes_ago(0)
        self.set_duration(60)
        self.side.set_value(defaults.get("side", "left"))
        area = set(defaults.get("site", ("toes",)))
        if area & set(vocab.TOE_SITES):
            area = (area - set(vocab.TOE_SITES)) | {"toes"}
        self.area.set_values(area)
        self.toes.set_values(())
        self.severity_slider.setValue(5)
        self._update_severity_label(5)
        self._set_combo(self.activity, defaults.get("activity", "in_bed"))
        self._set_combo(self.footwear, defaults.get("footwear", "barefoot"))
        self.footwear_tight.setChecked(False)
        self.hydration.set_value(defaults.get("hydration", "normal"))
        self.fluid_spin.setValue(-1)
        self.relief.set_values(())
        self.relief_effect.set_value(None)
        self.context.set_values(())
        self.warning_signs.set_values(())
        self.notes.setPlainText("")
        self.clear_errors()

    def load_episode(self, episode: Episode) -> None:
        self._episode_id = episode.id
        self._created = (episode.created_at, episode.updated_at)
        self.start_edit.setDateTime(_to_qdatetime(episode.started_at))
        self.set_duration(episode.duration_s)
        self.side.set_value(episode.side)
        toes = tuple(s for s in episode.site if s in vocab.TOE_SITES)
        area = {s for s in episode.site if s not in vocab.TOE_SITES}
        if toes:
            area.add("toes")
        self.area.set_values(area)
        self.toes.set_values(toes)
        self.severity_slider.setValue(episode.severity)
        self._update_severity_label(episode.severity)
        self._set_combo(self.activity, episode.activity)
        self._set_combo(self.footwear, episode.footwear)
        self.footwear_tight.setChecked(episode.footwear_tight)
        self.hydration.set_value(episode.hydration)
        self.fluid_unit.setCurrentIndex(0)
        self.fluid_spin.setValue(-1 if episode.fluid_ml is None else episode.fluid_ml)
        self.relief.set_values(episode.relief)
        self.relief_effect.set_value(episode.relief_effect)
        self.context.set_values(episode.context)
        self.warning_signs.set_values(episode.warning_signs)
        self.notes.setPlainText(episode.notes)
        self.clear_errors()
        has_details = bool(
            toes
            or episode.relief
            or episode.context
            or episode.warning_signs
            or episode.notes
            or episode.fluid_ml is not None
        )
        self.set_details_visible(has_details)

    def site(self) -> tuple[str, ...]:
        area = list(self.area.values())
        toes = self.toes.values()
        if "toes" in area and toes:
            index = area.index("toes")
            area[index : index + 1] = list(toes)
        return tuple(area)

    def episode(self) -> Episode:
        """The form's content as an Episode (not yet validated)."""
        fluid = self.fluid_spin.value()
        return Episode(
            id=self._episode_id,
            created_at=self._created[0],
            updated_at=self._created[1],
            started_at=_from_qdatetime(self.start_edit.dateTime()),
            duration_s=self.duration_s(),
            side=self.side.value() or "",
            site=self.site(),
            severity=self.severity_slider.value(),
            activity=self._combo_value(self.activity),
            hydration=self.hydration.value() or "",
            footwear=self._combo_value(self.footwear),
            footwear_tight=self.footwear_tight.isChecked(),
            fluid_ml=None if fluid < 0 else fluid * self.fluid_unit.currentData(),
            relief=self.relief.values(),
            relief_effect=self.relief_effect.value(),
            context=self.context.values(),
            warning_signs=self.warning_signs.values(),
            notes=self.notes.toPlainText(),
        )

    def clear_errors(self) -> None:
        for label in self._error_labels.values():
            label.clear()
            label.setVisible(False)

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put each message next to its field; open the details if one is there."""
        self.clear_errors()
        for name, message in errors.items():
            label = self._error_labels.get(name) or self._error_labels["notes"]
            label.setText(message)
            label.setVisible(True)
        detail_fields = {
            "toes",
            "fluid_ml",
            "relief",
            "relief_effect",
            "context",
            "warning_signs",
            "notes",
        }
        if detail_fields & set(errors):
            self.set_details_visible(True)

    def error_text(self, name: str) -> str:
        return self._error_labels[name].text()


def _check(text: str) -> QCheckBox:
    box = QCheckBox(text)
    box.setAccessibleName(text)
    return box
