"""File > "Print summary for my doctor…" (Ctrl+P), installed through the main window's FEATURES.

The dialog module (and with it QtPrintSupport and, later, matplotlib) is imported only when the
action is first used, so start-up does not pay for it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence


def install(window) -> None:
    action = QAction("Print &summary for my doctor…", window)
    action.setShortcut(QKeySequence.StandardKey.Print)
    action.setStatusTip("Preview, print or save as PDF a summary of your diary for a doctor")
    action.triggered.connect(lambda: open_report_dialog(window))
    window.add_file_actions(action)
    window.report_action = action


def open_report_dialog(window):
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
