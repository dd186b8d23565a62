"""Help > Health notices: every reason to see a doctor that applies today, dismissed ones too.

The banner hides what was dismissed; this is where it can be read again and brought back. It
asks the banner (tracker.advice.doctor_rules.alerts_now, the same engine as the Tips page and the
summary), so the three never disagree.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.tips.doctor_banner import DoctorBanner, when
from ui.tips.tip_html import SHORT_NOT_DIAGNOSIS

NOTHING = "Nothing in your diary suggests seeing a doctor today."


class HealthNoticesDialog(QDialog):
    def __init__(self, banner: DoctorBanner, parent=None):
        super().__init__(parent)
        self.banner = banner
        self.setWindowTitle("Health notices")
        self.setAccessibleName("Health notices")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Reasons your diary gives today to consider seeing a doctor, including those you "
            "dismissed. " + SHORT_NOT_DIAGNOSIS
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list_widget = QWidget()
        self.rows = QVBoxLayout(self.list_widget)
        self.rows.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.list_widget)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.show_again_buttons: dict[str, QPushButton] = {}
        self.reload()
        self._size_to_screen()

    def reload(self) -> None:
        """List the reasons again (after one was brought back)."""
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.show_again_buttons = {}
        alerts = self.banner.current_alerts()
        if not alerts:
            self.rows.addWidget(QLabel(NOTHING))
        for alert in alerts:
            self.rows.addWidget(self._row(alert))
        self.rows.addStretch(1)

    def _row(self, alert) -> QFrame:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(frame)
        dismissed = self.banner.is_dismissed(alert)
        state = "Dismissed" if dismissed else "Shown in the banner"
        text = QLabel(
            f"<b>{escape(alert.title)}</b> ({escape(when(alert))})<br>{escape(alert.message)}"
            f"<br><i>{escape(state)}</i>"
        )
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(text, 1)
        if dismissed:
            button = QPushButton("Show again")
            button.setAccessibleName(f"Show again: {alert.title}")
            button.clicked.connect(lambda _=False, a=alert: self.show_again(a))
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            self.show_again_buttons[alert.rule_id] = button
        return frame

    def show_again(self, alert) -> None:
        self.banner.undismiss(alert)
        self.reload()

    def _size_to_screen(self) -> None:
        hint = self.sizeHint()
        screen = self.screen().availableGeometry() if self.screen() else None
        width = max(hint.width(), 560)
        height = max(hint.height(), 320)
        if screen is not None:
            width = min(width, int(screen.width() * 0.9))
            height = min(height, int(screen.height() * 0.8))
        self.resize(width, height)


def show_health_notices(banner: DoctorBanner, parent=None) -> HealthNoticesDialog:
    """Open the dialog (not modal to the pages' data: it only reads and un-dismisses). It is
    deleted when closed; callers that keep it must drop it on ``destroyed``."""
    dialog = HealthNoticesDialog(banner, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
