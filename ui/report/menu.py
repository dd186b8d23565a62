"""File > "Print summary for my doctor…" (Ctrl+P), installed by the main window's finish_setup().

The dialog module (and with it QtPrintSupport and, later, matplotlib) is imported only when the
action is first used, so start-up does not pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from ui.report.dialog import ReportDialog
    from ui.shell.main_window import MainWindow


def install(window: MainWindow) -> QAction:
    """Add the action above File > Quit; the window keeps it as ``report_action``."""
    action = QAction("Print &summary for my doctor…", window)
    action.setShortcut(QKeySequence.StandardKey.Print)
    action.setStatusTip("Preview, print or save as PDF a summary of your diary for a doctor")
    action.triggered.connect(lambda: open_report_dialog(window))
    window.add_file_actions(action)
    return action


def open_report_dialog(window: MainWindow) -> ReportDialog:
    """Open the report dialog, or bring the open one to the front (Ctrl+P twice: one dialog)."""
    from ui.report.dialog import ReportDialog

    for dialog in window.findChildren(ReportDialog):
        if dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return dialog
    dialog = ReportDialog(window.store, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
