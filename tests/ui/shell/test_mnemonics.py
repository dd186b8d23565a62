"""Alt+letter keys: no two mnemonics clash in a window, a dialog or a menu, and every form label
has one that really moves the focus.

A scope is everything a person can reach with Alt+letter at once: a window's labels (with a
buddy), buttons, group box titles, tab texts and menu-bar titles. Pages of a QStackedWidget (and
so of a QTabWidget) are alternatives: each page makes its own scope together with what is outside
the stack. Widgets that are hidden now but can be shown (the log form's details, the history
page's date range) count, so a clash cannot hide behind a toggle. Each menu is its own scope.
"""

from __future__ import annotations

from itertools import product

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tests.factories import make_episode
from ui.shell.main_window import MainWindow

Entry = tuple[str, str]  # (letter, where it comes from)


# ----------------------------------------------------------------- collecting mnemonics
def mnemonic(text: str) -> str | None:
    """The letter after a single '&' ('&&' is a literal ampersand), lower-cased, or None."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1].lower()
            i += 1
        i += 1
    return None


def _own_entries(widget: QWidget) -> list[Entry]:
    kind = type(widget).__name__
    texts: list[tuple[str, str]] = []
    if isinstance(widget, QLabel) and widget.buddy() is not None:
        texts.append((widget.text(), kind))
    elif isinstance(widget, QAbstractButton):
        texts.append((widget.text(), kind))
    elif isinstance(widget, QGroupBox):
        texts.append((widget.title(), kind))
    elif isinstance(widget, QTabBar):
        texts.extend((widget.tabText(i), "tab") for i in range(widget.count()))
    return [(letter, f"{kind} {text!r}") for text, kind in texts if (letter := mnemonic(text))]


def _scopes(widget: QWidget) -> list[list[Entry]]:
    """Every combination of stack pages under ``widget``, each with the entries it shows."""
    base = _own_entries(widget)
    alternatives: list[list[list[Entry]]] = []
    for child in widget.children():
        if not isinstance(child, QWidget) or child.isWindow():
            continue  # dialogs and popup menus are scopes of their own
        if isinstance(child, QStackedWidget):
            pages = [child.widget(i) for i in range(child.count())]
            alternatives.append([scope for page in pages for scope in _scopes(page)] or [[]])
            continue
        child_scopes = _scopes(child)
        if len(child_scopes) == 1:
            base = base + child_scopes[0]
        else:
            alternatives.append(child_scopes)
    return [base + [e for part in combo for e in part] for combo in product(*alternatives)]


def window_scopes(top: QWidget) -> list[list[Entry]]:
    scopes = _scopes(top)
    if isinstance(top, QMainWindow):
        titles = [
            (letter, f"menu {action.text()!r}")
            for action in top.menuBar().actions()
            if (letter := mnemonic(action.text()))
        ]
        scopes = [titles + scope for scope in scopes]
    return scopes


def _menus(top: QWidget) -> list[QMenu]:
    """The menu bar's menus, menus on buttons, and their submenus."""
    roots = []
    if isinstance(top, QMainWindow):
        roots += [a.menu() for a in top.menuBar().actions() if a.menu() is not None]
    for button in top.findChildren(QPushButton):
        if button.window() is top and button.menu() is not None:
            roots.append(button.menu())
    found = []
    while roots:
        menu = roots.pop()
        menu.aboutToShow.emit()  # menus filled when opened (the log form's "Last night…")
        found.append(menu)
        roots += [a.menu() for a in menu.actions() if a.menu() is not None]
    return found


def menu_scopes(top: QWidget) -> dict[str, list[Entry]]:
    return {
        menu.title() or repr(menu): [
            (letter, f"action {action.text()!r}")
            for action in menu.actions()
            if not action.isSeparator() and (letter := mnemonic(action.text()))
        ]
        for menu in _menus(top)
    }


def _clashes(entries: list[Entry]) -> dict[str, list[str]]:
    by_letter: dict[str, list[str]] = {}
    for letter, source in entries:
        by_letter.setdefault(letter, []).append(source)
    return {letter: sources for letter, sources in by_letter.items() if len(sources) > 1}


def all_clashes(top: QWidget) -> list[str]:
    problems = set()
    for scope in window_scopes(top):
        for letter, sources in _clashes(scope).items():
            problems.add(f"Alt+{letter.upper()}: {', '.join(sorted(sources))}")
    for menu, entries in menu_scopes(top).items():
        for letter, sources in _clashes(entries).items():
            problems.add(f"menu {menu!r}, {letter.upper()}: {', '.join(sorted(sources))}")
    return sorted(problems)


def form_labels(top: QWidget) -> list[QLabel]:
    labels = []
    for form in top.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel) and label.window() is top:
                labels.append(label)
    return labels


def focus_target(widget: QWidget) -> QWidget:
    while widget.focusProxy() is not None:
        widget = widget.focusProxy()
    return widget


# ----------------------------------------------------------------- every window and dialog
def _edit_dialog(window):
    saved = window.store.add_episode(make_episode(notes="for the edit dialog"))
    return window.edit_episode(saved.id)


def _import_dialog(window):
    from ui.data.import_dialog import ImportDialog

    return ImportDialog(window.store, window)


def _export_dialog(window):
    from ui.data.export_dialog import ExportDialog

    return ExportDialog(window.store, window)


def _backup_dialog(window):
    from ui.data.backup_dialog import BackupDialog

    return BackupDialog(window)


def _profile_dialog(window):
    from ui.tips.profile_dialog import ProfileDialog

    return ProfileDialog(window.store, window)


def _report_dialog(window):
    from ui.report.menu import open_report_dialog

    return open_report_dialog(window)


def _main_window(window):
    window.patterns_page.build_charts()  # built on first show otherwise; they have buttons
    return window


TOPS = {
    "main window": _main_window,
    "log form": lambda window: window.open_log_dialog(),
    "edit form": _edit_dialog,
    "profile": _profile_dialog,
    "report": _report_dialog,
    "export": _export_dialog,
    "import": _import_dialog,
    "backup": _backup_dialog,
    "shortcuts": lambda window: window.shortcuts_action.trigger() or _shortcuts(window),
    "preferences": lambda window: window.open_preferences(),
}
# Help > About is a QMessageBox: one OK button, nothing to clash.


def _shortcuts(window):
    from ui.shell.shortcuts_dialog import ShortcutsDialog

    return window.findChild(ShortcutsDialog)


@pytest.fixture
def full_window(qtbot, store, settings):
    window = MainWindow(store, settings)  # every feature installed
    qtbot.addWidget(window)
    window.show()
    assert QTest.qWaitForWindowExposed(window)
    assert QTest.qWaitForWindowActive(window)
    return window


def _open(name, window, qtbot):
    top = TOPS[name](window)
    assert top is not None
    if top is not window:
        top.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        qtbot.addWidget(top)
        top.show()
        assert QTest.qWaitForWindowExposed(top)
        top.activateWindow()
        assert QTest.qWaitForWindowActive(top)
    return top


@pytest.mark.parametrize("name", TOPS)
def test_no_two_mnemonics_clash(name, full_window, qtbot):
    top = _open(name, full_window, qtbot)
    assert all_clashes(top) == []


@pytest.mark.parametrize("name", TOPS)
def test_every_form_label_has_a_mnemonic_and_a_buddy_that_takes_focus(name, full_window, qtbot):
    top = _open(name, full_window, qtbot)
    problems = []
    for label in form_labels(top):
        buddy = label.buddy()
        if mnemonic(label.text()) is None or buddy is None:
            problems.append(f"{label.text()!r} has no mnemonic or no buddy")
        elif focus_target(buddy).focusPolicy() == Qt.FocusPolicy.NoFocus:
            problems.append(f"{label.text()!r}: its buddy cannot take the focus")
    assert problems == []


@pytest.mark.parametrize("name", TOPS)
def test_tables_let_tab_move_on(name, full_window, qtbot):
    top = _open(name, full_window, qtbot)
    trapping = [
        view.accessibleName() or type(view).__name__
        for view in top.findChildren(QAbstractItemView)
        if view.window() is top and view.tabKeyNavigation()
    ]
    assert trapping == []


def test_every_scope_is_looked_at(full_window, qtbot):
    """Guards the checks above against finding nothing: the menus, tabs and pages are seen."""
    scopes = window_scopes(full_window)
    assert len(scopes) >= 3  # one per page at least
    first = {source for _, source in scopes[0]}
    assert {"menu '&Help'", "tab 'H&istory'", "tab '&Patterns'", "QLabel 'Pe&riod:'"} <= first
    menus = menu_scopes(full_window)
    assert {"&File", "&Episode", "E&dit", "&View", "&Help"} <= set(menus)
    log = _open("log form", full_window, qtbot)
    letters = {source for _, source in window_scopes(log)[0]}
    assert "QLabel '&Notes'" in letters  # hidden details count too


# ----------------------------------------------------------------- the checker itself
def test_checker_finds_clashes_and_respects_stacks_and_double_ampersands(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    for text in ("&Name", "&Nickname", "Tom && &Jerry"):
        edit = QLineEdit()
        layout.addWidget(QLabel(text, buddy=edit))
        layout.addWidget(edit)
    tabs = QTabWidget()
    for title in ("&One", "&Two"):
        page = QWidget()
        QVBoxLayout(page).addWidget(QPushButton("&Same on each page"))
        tabs.addTab(page, title)
    layout.addWidget(tabs)
    assert all_clashes(dialog) == ["Alt+N: QLabel '&Name', QLabel '&Nickname'"]
    assert mnemonic("Tom && &Jerry") == "j" and mnemonic("A && B") is None
    tabs.widget(0).layout().addWidget(QPushButton("&Jump"))
    assert "Alt+J: QLabel 'Tom && &Jerry', QPushButton '&Jump'" in all_clashes(dialog)


# ----------------------------------------------------------------- the keys really work
def _press_alt(top, key, qtbot):
    if not top.isActiveWindow():
        top.activateWindow()
        assert QTest.qWaitForWindowActive(top)
    QTest.keyClick(top, key, Qt.KeyboardModifier.AltModifier)


def test_alt_letters_of_the_main_window(full_window, qtbot):
    window = full_window
    window.store.add_episode(make_episode())  # an empty diary shows a welcome, not the filters
    window.episodes_changed.emit()
    window.tabs.setCurrentWidget(window.patterns_page)
    _press_alt(window, Qt.Key.Key_I, qtbot)
    assert window.tabs.currentWidget() is window.history
    _press_alt(window, Qt.Key.Key_R, qtbot)
    assert QApplication.focusWidget() is window.history.period
    _press_alt(window, Qt.Key.Key_P, qtbot)
    assert window.tabs.currentWidget() is window.patterns_page
    _press_alt(window, Qt.Key.Key_H, qtbot)
    qtbot.waitUntil(window.help_menu.isVisible)
    window.help_menu.close()


@pytest.mark.parametrize("name", ["log form", "edit form", "profile", "report", "export"])
def test_each_form_label_mnemonic_moves_the_focus_to_its_field(name, full_window, qtbot):
    top = _open(name, full_window, qtbot)
    form = getattr(top, "form", None)
    if form is not None:
        form.set_details_visible(True)
    labels = [label for label in form_labels(top) if label.isVisible()]
    assert labels
    buttons = [b for b in top.findChildren(QPushButton) if b.isVisible() and b.isEnabled()]
    for label in labels:
        target = focus_target(label.buddy())
        if not target.isEnabled():
            continue  # the report's custom dates, until "Custom" is chosen
        neutral = next(b for b in buttons if b is not target and not target.isAncestorOf(b))
        neutral.setFocus()
        _press_alt(top, Qt.Key(ord(mnemonic(label.text()).upper())), qtbot)
        focus = QApplication.focusWidget()
        assert focus is target or target.isAncestorOf(focus), label.text()


def test_more_details_opens_and_closes_with_the_same_letter(full_window, qtbot):
    dialog = _open("log form", full_window, qtbot)
    form = dialog.form
    _press_alt(dialog, Qt.Key.Key_M, qtbot)
    qtbot.waitUntil(form.details.isVisible)
    assert mnemonic(form.details_toggle.text()) == "m"
    _press_alt(dialog, Qt.Key.Key_M, qtbot)
    qtbot.waitUntil(lambda: not form.details.isVisible())
