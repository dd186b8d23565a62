"""Help > Keyboard shortcuts: every shortcut of the main window in one table.

The list is read from the window's actions each time it opens, so shortcuts that features add
later (and page actions such as the history page's Find) are listed without anyone keeping a
second list. Keys that are not actions (Enter and Esc in the log form) are listed in FIXED_KEYS.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

HEADERS = ("Keys", "What it does", "Where")


@dataclass(frozen=True)
class ShortcutRow:
    keys: str
    what: str
    where: str


# Keys handled by widgets rather than actions; keep in step with ui/episode/log_dialog.py and
# ui/history/page.py (tests/ui/shell/test_shortcuts.py presses each of them).
FIXED_KEYS = (
    ShortcutRow("Enter", "Save the cramp (or your changes)", "Log form"),
    ShortcutRow("Esc", "Close the form without saving", "Log form"),
    ShortcutRow("Enter", "Edit the selected episode", "History table"),
    ShortcutRow("Alt+underlined letter", "Go to that menu, tab, field or button", "Everywhere"),
)


def plain_text(text: str) -> str:
    """Menu text as read aloud: no mnemonic '&' ('&&' stays one '&'), no trailing '…'."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def keys_text(action: QAction) -> str:
    return ", ".join(
        key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts()
    )


def window_actions(window: QWidget) -> list[QAction]:
    """Every action of ``window`` with a shortcut, not those of dialogs it has opened."""
    found = []
    for action in window.findChildren(QAction):
        if not action.shortcuts():
            continue
        owner = action.parent()
        if isinstance(owner, QWidget) and owner.window() is not window:
            continue  # an action of an open dialog or a popup
        found.append(action)
    return found


def shortcut_rows(window: QMainWindow) -> list[ShortcutRow]:
    """Menu actions in menu-bar order, then page and window actions, then FIXED_KEYS."""
    rows: list[ShortcutRow] = []
    listed: set[QAction] = set()

    def add_menu(menu: QMenu, where: str) -> None:
        for action in menu.actions():
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                add_menu(submenu, where)
            elif action.shortcuts() and action not in listed:
                listed.add(action)
                rows.append(ShortcutRow(keys_text(action), plain_text(action.text()), where))

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            add_menu(menu, f"{plain_text(top.text())} menu")
    for action in window_actions(window):
        if action not in listed:
            listed.add(action)
            rows.append(
                ShortcutRow(keys_text(action), plain_text(action.text()), _where(window, action))
            )
    rows.extend(FIXED_KEYS)
    return rows


def _where(window: QMainWindow, action: QAction) -> str:
    """The page an action belongs to (its tab title), or the main window."""
    widget = action.parent()
    tabs = getattr(window, "tabs", None)
    while isinstance(widget, QWidget) and tabs is not None:
        index = tabs.indexOf(widget)
        if index >= 0:
            return f"{plain_text(tabs.tabText(index))} page"
        widget = widget.parentWidget()
    return "Main window"


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else window)
        self.setWindowTitle("Keyboard shortcuts")
        self.rows = shortcut_rows(window)
        layout = QVBoxLayout(self)
        self.intro = intro = QLabel(
            "Every shortcut of Cramp Tracker. An underlined letter in a menu, tab or field name "
            "works with Alt held down."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.model = QStandardItemModel(len(self.rows), len(HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(HEADERS))
        for r, row in enumerate(self.rows):
            for c, text in enumerate((row.keys, row.what, row.where)):
                item = QStandardItem(text)
                item.setEditable(False)
                self.model.setItem(r, c, item)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setTabKeyNavigation(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._fit()

    def _fit(self) -> None:
        self.table.resizeColumnsToContents()
        width = sum(self.table.columnWidth(c) for c in range(len(HEADERS))) + 60
        rows = self.table.verticalHeader().defaultSectionSize() * len(self.rows)
        table = self.table.horizontalHeader().sizeHint().height() + rows + 4
        others = self.intro.sizeHint().height() + self.buttons.sizeHint().height()
        layout = self.layout()
        spacing = layout.spacing() if layout is not None else 0
        height = table + others + 3 * spacing + 24
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width = min(width, int(screen.width() * 0.9))
            height = min(height, int(screen.height() * 0.9))
        self.resize(max(width, 480), height)

    def row_texts(self) -> list[tuple[str, str, str]]:
        item = self.model.item
        return [
            (item(r, 0).text(), item(r, 1).text(), item(r, 2).text())
            for r in range(self.model.rowCount())
        ]


def show_shortcuts(window: QMainWindow) -> ShortcutsDialog:
    """Open the table beside the window (or raise the open one); deleted when closed."""
    for dialog in window.findChildren(ShortcutsDialog):
        if dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return dialog
    dialog = ShortcutsDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
