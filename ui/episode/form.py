"""The episode form: a short part for logging in seconds, and details behind "More details".

The form only collects input and shows messages; tracker.diary.episode.validate decides what is
valid.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker.diary import vocab
from tracker.diary.episode import (
    FUTURE_TOLERANCE,
    LONG_DURATION_S,
    NOT_RECORDED,
    Episode,
    format_duration,
)
from tracker.diary.vocab import SLEEP_DISTURBANCE_MAX, SLEEP_DISTURBANCE_MIN
from ui.episode.severity_input import SeverityInput, severity_words
from ui.episode.start_time_input import StartTimeInput
from ui.widgets import theme
from ui.widgets import units as fluid_units
from ui.widgets.choice_widgets import CheckGrid, RadioRow

# The short form shows body areas; which toe(s) is a detail.
AREAS = {
    "toes": "Toes",
    **{k: v for k, v in vocab.SITES.items() if k not in vocab.TOE_SITES and k != "toes"},
}


# Fields the form offers "as last time" for, in the order they appear.
LAST_TIME_FIELDS = ("side", "site", "severity", "activity", "footwear", "hydration")


class EpisodeForm(QWidget):
    """All fields of an episode, with a message slot under each field.

    Nothing is preset but the time and the duration: an untouched field saves as "not recorded".
    What the last episode recorded is offered on "as last" buttons, never preselected.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._episode_id: int | None = None
        self._created: tuple[str | None, str | None] = (None, None)
        self._error_labels: dict[str, QLabel] = {}
        self._last: dict[str, object] = {}
        self._fluid_unit_shown = ""  # the fluid unit preference the unit list was filled for
        self.last_buttons: dict[str, QToolButton] = {}
        outer = QVBoxLayout(self)
        self.same_as_last = QPushButton("Same as l&ast time")
        self.same_as_last.setAutoDefault(False)
        self.same_as_last.setAccessibleName("Same as last time for every field")
        self.same_as_last.clicked.connect(self.apply_last_all)
        last_row = QHBoxLayout()
        last_row.addWidget(self.same_as_last)
        last_row.addStretch(1)
        outer.addLayout(last_row)
        self.short_form = QFormLayout()
        self.short_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        outer.addLayout(self.short_form)
        self._build_short()
        self.details_toggle = QToolButton()
        self.details_toggle.setText("&More details")
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
        self.set_last_values({})

    # ----------------------------------------------------------------- building
    def _row(
        self,
        form: QFormLayout,
        label: str,
        field: QWidget | QHBoxLayout,
        name: str,
        buddy: QWidget | None = None,
    ) -> QLabel:
        container = QWidget()
        box = QVBoxLayout(container)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        line = QHBoxLayout()
        if isinstance(field, QWidget):
            line.addWidget(field, 1)
        else:
            line.addLayout(field, 1)
        if name in LAST_TIME_FIELDS:
            button = QToolButton()
            button.setAutoRaise(True)
            button.clicked.connect(lambda _=False, n=name: self.apply_last(n))
            self.last_buttons[name] = button
            line.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(line)
        error = QLabel()
        theme.keep_message_colour(error, "error")
        error.setWordWrap(True)
        error.setVisible(False)
        error.setAccessibleName(f"{label.replace('&', '')} message")
        box.addWidget(error)
        self._error_labels[name] = error
        label_widget = QLabel(label)
        target = buddy or (field if isinstance(field, QWidget) else None)
        if target is not None:
            label_widget.setBuddy(target)
        form.addRow(label_widget, container)
        return label_widget

    def _build_short(self) -> None:
        self.start = StartTimeInput()
        self.start.changed.connect(self._start_changed)
        self.start_edit = self.start.edit
        self.quick_buttons = self.start.quick_buttons
        self._row(self.short_form, "&Started", self.start, "started_at", buddy=self.start_edit)

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
        theme.keep_message_colour(self.duration_warning, "warning")
        self.duration_warning.setWordWrap(True)
        self.duration_warning.setAccessibleName("Duration warning")
        duration_row.addWidget(self.duration_warning, 1)
        self._row(self.short_form, "&Lasted", duration_row, "duration_s", buddy=self.minutes_spin)
        self.minutes_spin.valueChanged.connect(self._update_duration_warning)
        self.seconds_spin.valueChanged.connect(self._update_duration_warning)

        self.side = RadioRow(vocab.SIDES, "Side", not_recorded=NOT_RECORDED)
        self._row(self.short_form, "Sid&e", self.side, "side")
        self.area = CheckGrid(AREAS, "Where it hurt", columns=3)
        self._row(self.short_form, "&Where", self.area, "site")
        self.severity = SeverityInput()
        self.severity_slider = self.severity.slider
        self._row(
            self.short_form, "Se&verity", self.severity, "severity", buddy=self.severity_slider
        )

        self.activity = self._combo(vocab.ACTIVITIES, "Activity at onset")
        self._row(self.short_form, "&Doing", self.activity, "activity")
        footwear_row = QHBoxLayout()
        self.footwear = self._combo(vocab.FOOTWEAR, "Footwear at onset")
        self.footwear_tight = _check("T&ight or ill-fitting")
        footwear_row.addWidget(self.footwear, 1)
        footwear_row.addWidget(self.footwear_tight)
        self._row(self.short_form, "&Footwear", footwear_row, "footwear", buddy=self.footwear)
        self.hydration = RadioRow(vocab.HYDRATION, "Hydration", not_recorded=NOT_RECORDED)
        self._row(self.short_form, "H&ydration", self.hydration, "hydration")

    def _fill_fluid_units(self) -> None:
        """ml or fl oz as chosen in Preferences (ui/widgets/units.py), and glasses."""
        if self._fluid_unit_shown == fluid_units.fluid_unit():
            return
        self._fluid_unit_shown = fluid_units.fluid_unit()
        self.fluid_unit.clear()
        self.fluid_unit.addItem(fluid_units.unit_label(), fluid_units.ml_per_unit())
        glass = fluid_units.fluid_text(vocab.ML_PER_GLASS)
        self.fluid_unit.addItem(f"glasses ({glass})", float(vocab.ML_PER_GLASS))

    def _build_details(self) -> None:
        self.toes = CheckGrid(vocab.TOE_SITES, "Which toes", columns=3)
        self.toes.changed.connect(self._toes_changed)
        self._row(self.details_form, "Which &toes", self.toes, "toes")
        fluid_row = QHBoxLayout()
        self.fluid_spin = QSpinBox()
        self.fluid_spin.setRange(-1, 20_000)
        self.fluid_spin.setSpecialValueText(NOT_RECORDED.lower())
        self.fluid_spin.setValue(-1)
        self.fluid_spin.setAccessibleName("Fluid drunk so far today")
        self.fluid_unit = QComboBox()
        self.fluid_unit.setAccessibleName("Fluid unit")
        # A loaded amount in ml and the value first shown for it: kept exactly when unchanged
        # (17 fl oz shown for 500 ml must not save as 503 ml).
        self._loaded_fluid: tuple[int, int] | None = None
        self._fill_fluid_units()
        fluid_row.addWidget(self.fluid_spin)
        fluid_row.addWidget(self.fluid_unit)
        fluid_row.addStretch(1)
        self._row(self.details_form, "Dr&unk today", fluid_row, "fluid_ml", buddy=self.fluid_spin)
        self.relief = CheckGrid(vocab.RELIEF, "Relief tried", columns=3)
        self._row(self.details_form, "&Relief tried", self.relief, "relief")
        self.relief_effect = RadioRow(vocab.RELIEF_EFFECT, "Did it help", not_recorded=NOT_RECORDED)
        self._row(self.details_form, "Did it &help", self.relief_effect, "relief_effect")
        self.context = CheckGrid(vocab.CONTEXT, "Possible context", columns=3)
        self._row(self.details_form, "&Context", self.context, "context")
        self.warning_signs = CheckGrid(
            vocab.WARNING_SIGNS_OFFERED,
            "Warning signs",
            columns=3,
            legacy=vocab.LEGACY_WARNING_SIGNS,
        )
        self._row(self.details_form, "Warnin&g signs", self.warning_signs, "warning_signs")
        sleep_row = QHBoxLayout()
        self.sleep_spin = QSpinBox()
        self.sleep_spin.setRange(SLEEP_DISTURBANCE_MIN - 1, SLEEP_DISTURBANCE_MAX)
        self.sleep_spin.setSpecialValueText(NOT_RECORDED.lower())  # the value below the range
        self.sleep_spin.setValue(SLEEP_DISTURBANCE_MIN - 1)
        self.sleep_spin.setAccessibleName("Sleep disturbed, 0 (not at all) to 10 (no sleep)")
        self.sleep_spin.setToolTip(
            "For a cramp at night: how much it disturbed your sleep, from 0 (not at all) to 10 "
            "(could not sleep). The scale cramp diaries for doctors use."
        )
        sleep_row.addWidget(self.sleep_spin)
        sleep_row.addWidget(QLabel("0 not at all, 10 could not sleep"))
        sleep_row.addStretch(1)
        self._row(
            self.details_form,
            "Slee&p disturbed",
            sleep_row,
            "sleep_disturbance",
            buddy=self.sleep_spin,
        )
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Anything else: what you ate, how you slept, …")
        self.notes.setAccessibleName("Notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self._row(self.details_form, "&Notes", self.notes, "notes")

    def _combo(self, vocabulary, accessible_name: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem(NOT_RECORDED, None)
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
        self.details_toggle.setText("Hide &more details" if visible else "&More details")

    def set_start(self, value: datetime, *, approximate: bool = False) -> None:
        self.start.set_value(value, approximate=approximate)

    def set_start_minutes_ago(self, minutes: int) -> None:
        self.start.set_minutes_ago(minutes)

    def set_duration(self, seconds: int) -> None:
        minutes, secs = divmod(max(0, int(seconds)), 60)
        self.minutes_spin.setValue(minutes)
        self.seconds_spin.setValue(secs)

    def duration_s(self) -> int:
        return self.minutes_spin.value() * 60 + self.seconds_spin.value()

    def _start_changed(self) -> None:
        """A "future" message goes as soon as the time is no longer in the future."""
        label = self._error_labels["started_at"]
        if label.isVisible():
            now = datetime.now().astimezone()
            if self.start.value() - now <= FUTURE_TOLERANCE:
                label.clear()
                label.setVisible(False)

    def _update_duration_warning(self) -> None:
        seconds = self.duration_s()
        if seconds > LONG_DURATION_S:
            self.duration_warning.setText(
                f"{format_duration(seconds)} is unusually long for a cramp: worth telling a doctor."
            )
        else:
            self.duration_warning.clear()

    def _toes_changed(self) -> None:
        if self.toes.values():
            self.area.box("toes").setChecked(True)

    def _set_combo(self, combo: QComboBox, code: str | None) -> None:
        index = combo.findData(code) if code is not None else 0
        combo.setCurrentIndex(max(index, 0))

    # ----------------------------------------------------------------- "as last time"
    def set_last_values(self, last: dict[str, object]) -> None:
        """Offer what the previous episode recorded: one button per field and one for all."""
        self._last = {k: v for k, v in last.items() if v not in (None, ())}
        for name, button in self.last_buttons.items():
            text = _last_text(name, self._last.get(name))
            button.setVisible(bool(text))
            short = text if len(text) <= 22 else text[:21] + "…"
            button.setText(f"as last: {short}" if text else "")
            button.setToolTip(f"Same as last time: {text}" if text else "")
            button.setAccessibleName(f"{name.replace('_', ' ').capitalize()} same as last time")
        offered = [_last_text(n, self._last.get(n)) for n in LAST_TIME_FIELDS]
        offered = [t for t in offered if t]
        self.same_as_last.setVisible(bool(offered))
        self.same_as_last.setToolTip("Fill in: " + "; ".join(offered) if offered else "")

    def apply_last(self, name: str) -> None:
        value = self._last.get(name)
        if value is None:
            return
        code = value if isinstance(value, str) else None
        if name == "side":
            self.side.set_value(code)
        elif name == "site":
            self._apply_last_site(value)
        elif name == "severity":
            self.severity.set_value(value if isinstance(value, int) else None)
        elif name == "activity":
            self._set_combo(self.activity, code)
        elif name == "footwear":
            self._set_combo(self.footwear, code)
            self.footwear_tight.setChecked(bool(self._last.get("footwear_tight")))
        elif name == "hydration":
            self.hydration.set_value(code)

    def _apply_last_site(self, value: object) -> None:
        sites = tuple(s for s in value if isinstance(s, str)) if isinstance(value, tuple) else ()
        area = set(sites)
        toes = tuple(s for s in sites if s in vocab.TOE_SITES)
        if toes:
            area = (area - set(vocab.TOE_SITES)) | {"toes"}
        self.area.set_values(area)
        self.toes.set_values(toes)

    def apply_last_all(self) -> None:
        for name in LAST_TIME_FIELDS:
            self.apply_last(name)

    # ----------------------------------------------------------------- to and from Episode
    def load_new(self, last: dict[str, object] | None = None) -> None:
        """Reset for a new episode: start now, 1 minute, every other field not recorded."""
        self._episode_id, self._created = None, (None, None)
        self.sleep_spin.setValue(SLEEP_DISTURBANCE_MIN - 1)
        self.start.set_quick_buttons_visible(True)
        self.set_start_minutes_ago(0)
        self.set_duration(60)
        self.side.set_value(None)
        self.area.set_values(())
        self.toes.set_values(())
        self.severity.set_value(None)
        self._set_combo(self.activity, None)
        self._set_combo(self.footwear, None)
        self.footwear_tight.setChecked(False)
        self.hydration.set_value(None)
        self._fill_fluid_units()
        self._loaded_fluid = None
        self.fluid_spin.setValue(-1)
        self.relief.set_values(())
        self.relief_effect.set_value(None)
        self.context.set_values(())
        self.warning_signs.set_values(())
        self.notes.setPlainText("")
        self.clear_errors()
        self.set_details_visible(False)
        self.set_last_values(last or {})

    def load_episode(self, episode: Episode) -> None:
        """Fill in a saved episode for editing. The quick time buttons are hidden so that the
        saved time cannot be overwritten by a stray click; an unchanged time saves exactly as
        stored, even when the machine's time zone has changed since (see StartTimeInput)."""
        self._episode_id = episode.id
        self._created = (episode.created_at, episode.updated_at)
        disturbed = episode.sleep_disturbance
        self.sleep_spin.setValue(SLEEP_DISTURBANCE_MIN - 1 if disturbed is None else disturbed)
        self.start.set_quick_buttons_visible(False)
        # Kept as stored (instant and offset) unless the person changes the time itself.
        self.start.load_value(episode.started_at, approximate=episode.time_approximate)
        self.set_duration(episode.duration_s)
        self.side.set_value(episode.side)
        toes = tuple(s for s in episode.site if s in vocab.TOE_SITES)
        area = {s for s in episode.site if s not in vocab.TOE_SITES}
        if toes:
            area.add("toes")
        self.area.set_values(area)
        self.toes.set_values(toes)
        self.severity.set_value(episode.severity)
        self._set_combo(self.activity, episode.activity)
        self._set_combo(self.footwear, episode.footwear)
        self.footwear_tight.setChecked(episode.footwear_tight)
        self.hydration.set_value(episode.hydration)
        self._fill_fluid_units()
        self.fluid_unit.setCurrentIndex(0)
        if episode.fluid_ml is None:
            self._loaded_fluid = None
            self.fluid_spin.setValue(-1)
        else:
            shown = round(episode.fluid_ml / fluid_units.ml_per_unit())
            self._loaded_fluid = (episode.fluid_ml, shown)
            self.fluid_spin.setValue(shown)
        self.relief.set_values(episode.relief)
        self.relief_effect.set_value(episode.relief_effect)
        self.context.set_values(episode.context)
        self.warning_signs.set_values(episode.warning_signs)
        self.notes.setPlainText(episode.notes)
        self.clear_errors()
        self.set_last_values({})
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
        return Episode(
            id=self._episode_id,
            created_at=self._created[0],
            updated_at=self._created[1],
            started_at=self.start.value(),
            time_approximate=self.start.is_approximate(),
            duration_s=self.duration_s(),
            side=self.side.value(),
            site=self.site(),
            severity=self.severity.value(),
            activity=self.activity.currentData(),
            hydration=self.hydration.value(),
            footwear=self.footwear.currentData(),
            footwear_tight=self.footwear_tight.isChecked(),
            fluid_ml=self.fluid_ml(),
            relief=self.relief.values(),
            relief_effect=self.relief_effect.value(),
            context=self.context.values(),
            warning_signs=self.warning_signs.values(),
            notes=self.notes.toPlainText(),
            sleep_disturbance=self.sleep_disturbance(),
        )

    def sleep_disturbance(self) -> int | None:
        value = self.sleep_spin.value()
        return None if value < SLEEP_DISTURBANCE_MIN else value

    def fluid_ml(self) -> int | None:
        """The amount in ml, whatever unit it was typed in; a loaded amount left as shown
        keeps its stored ml."""
        fluid = self.fluid_spin.value()
        if fluid < 0:
            return None
        loaded = self._loaded_fluid
        if loaded is not None and self.fluid_unit.currentIndex() == 0 and fluid == loaded[1]:
            return loaded[0]
        return round(fluid * float(self.fluid_unit.currentData()))

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


def _last_text(name: str, value: object) -> str:
    """How a last-time value reads on its button ('Left', 'Big toe, Calf', '6 / 10 moderate')."""
    if value is None or value == ():
        return ""
    if name == "site" and isinstance(value, tuple):
        return vocab.labels(vocab.SITES, value)
    if name == "severity" and isinstance(value, int):
        return severity_words(value)
    vocabulary = {
        "side": vocab.SIDES,
        "activity": vocab.ACTIVITIES,
        "footwear": vocab.FOOTWEAR,
        "hydration": vocab.HYDRATION,
    }[name]
    return vocab.label(vocabulary, str(value))


def _check(text: str) -> QCheckBox:
    box = QCheckBox(text)
    box.setAccessibleName(text.replace("&", ""))
    return box
