"""The main window: assembles the log controls, pages, menus and status bar; nothing more.

Feature modules (patterns, tips, data, report, the example diary) are imported and installed in
finish_setup(), after the first paint: each has ``install(window)``, talks to the window only
through its public members and signals, and returns what the window keeps of it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tracker.store import Store, StoreError
from ui.episode.commands import CommandContext, DeleteEpisodesCommand
from ui.episode.cramp_timer import CrampTimer
from ui.episode.log_flow import LogFlow
from ui.shell import appearance, preferences
from ui.widgets import theme

if TYPE_CHECKING:  # imported for real in finish_setup(), after the first paint
    from ui.checkin.menu import CheckinFeature
    from ui.data.menu import DataMenu
    from ui.episode.log_dialog import LogDialog
    from ui.history.page import HistoryPage
    from ui.patterns.page import PatternsPage
    from ui.shell.example_diary import ExampleDiary
    from ui.shell.preferences_dialog import PreferencesDialog
    from ui.shell.reminders import ReminderScheduler
    from ui.shell.shortcuts_dialog import ShortcutsDialog
    from ui.shell.tray import Tray
    from ui.tips.feature import TipsFeature

# Start-up installs the pages after the history is painted, or after this long without a paint.
FIRST_PAINT_WAIT_MS = 500
APP_VERSION = "0.1.0"
DEFAULT_SIZE = (1180, 760)  # shrunk to the screen: see _restore_geometry
# The document first, then the app: Qt appends the display name only to titles without it.
EXAMPLE_TITLE = "Example data (not your diary) — Cramp Tracker"


class MainWindow(QMainWindow):
    episodes_changed = Signal()
    checkins_changed = Signal()  # a check-in or medicine was written, undone or redone
    episode_saved = Signal(object)
    closing = Signal()  # the window accepted a close: features let go of what they opened
    # The daily check-in is asked for ('evening': about the day, 'morning': about the night),
    # from the tray menu or a reminder; the check-in feature opens its form.
    checkin_requested = Signal(str)

    def __init__(
        self,
        store: Store,
        settings: QSettings | None = None,
        install_features: bool = True,
        defer_pages: bool = False,
        background_loads: bool = False,
    ):
        """``defer_pages``: show the log controls first and build the pages in finish_setup()
        right after the first paint (the app does this; tests build everything at once).
        ``background_loads``: the history reads its ids in a worker thread, so that no filter
        or sort holds up the window with a large diary (the app does this)."""
        super().__init__()
        self.store = store
        self.background_loads = background_loads
        self.showing_example = False  # an example diary is shown (ui/shell/example_diary.py)
        self.settings = settings if settings is not None else QSettings()
        # Units, 12/24-hour time and the first day of the week, as this diary keeps them.
        self.diary_preferences = preferences.apply_diary_preferences(store)
        # Whether a check-in is already done (kind, day): a reminder for it is then not shown.
        # The check-in feature replaces this.
        self.checkin_answered: Callable[[str, date], bool] = lambda kind, day: False
        self.start_in_tray = False  # --tray: start hidden, with the tray icon (ui/shell/app.py)
        self._quitting = False
        self.undo_stack = QUndoStack(self)
        self.command_context = CommandContext(
            lambda: self.store, self.episodes_changed.emit, self.show_error
        )
        self._update_title()
        self.setAccessibleName("Cramp Tracker")

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(self._build_log_bar())
        self.notice_layout = QVBoxLayout()
        layout.addLayout(self.notice_layout)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Pages")
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.log_flow = LogFlow(self)

        self.history: HistoryPage | None = None
        # Set by finish_setup(): what each feature's install() returns.
        self.patterns_page: PatternsPage | None = None
        self.tips_feature: TipsFeature | None = None
        self.data_menu: DataMenu | None = None
        self.report_action: QAction | None = None
        self.example_diary: ExampleDiary | None = None
        self._shortcuts_assigned = False
        self._page_keys: list[tuple[QAction, str]] = []  # Ctrl+1…: set with the shortcuts
        self.checkin_feature: CheckinFeature | None = None
        self.tray: Tray | None = None
        self.reminders: ReminderScheduler | None = None
        self.preferences_dialog: PreferencesDialog | None = None
        self._build_menus()
        self.statusBar().showMessage("Ready")
        self._features_installed = False
        if not defer_pages:
            self._build_history()
            self._assign_shortcuts()
        if install_features:
            self.finish_setup()
        self._restore_geometry()

    def _build_history(self) -> None:
        from ui.history.page import HistoryPage  # Qt's enum namespace costs ~15 ms to load

        history = self.history = HistoryPage(self.store, background=self.background_loads)
        history.edit_requested.connect(self.edit_episode)
        history.delete_requested.connect(self.delete_episodes)
        history.welcome.log_requested.connect(lambda: self.open_log_dialog())
        self.add_page(history, "H&istory")  # Alt+H is the Help menu
        self.episodes_changed.connect(history.reload)
        self.closing.connect(history.model.stop_loading)

    def show_history_then(self, then: Callable[[], None]) -> None:
        """Build the history page now and call ``then`` once its rows are painted: start-up
        puts the newest episodes on screen first and installs the other pages after. With no
        rows to paint (an empty diary shows the welcome), or no paint at all (a minimised
        window), ``then`` runs anyway, in the next turn or after FIRST_PAINT_WAIT_MS."""
        if self.history is None:
            self._build_history()  # its shortcuts come with the other pages, after the paint
        assert self.history is not None
        table = self.history.table
        hook = _AfterFirstPaint(table.viewport(), then)
        if table.isVisibleTo(self) and table.model().rowCount() > 0:
            table.viewport().update()
            QTimer.singleShot(FIRST_PAINT_WAIT_MS, hook.fire)
        else:
            QTimer.singleShot(0, hook.fire)

    def finish_setup(self) -> None:
        """Build what start-up deferred: the history page, then the feature pages and actions."""
        if self.history is None:
            self._build_history()
        if self._features_installed:
            return
        self._features_installed = True
        self._assign_shortcuts()
        from ui.checkin import menu as checkin_menu
        from ui.data import menu as data_menu
        from ui.patterns import feature as patterns
        from ui.report import menu as report_menu
        from ui.shell import example_diary, memory
        from ui.tips import feature as tips

        memory.tune_allocator()  # once on screen: ctypes is not needed before the first paint
        self.patterns_page = patterns.install(self)
        self.tips_feature = tips.install(self)
        self.data_menu = data_menu.install(self)
        self.report_action = report_menu.install(self)
        self.checkin_feature = checkin_menu.install(self)
        self.example_diary = example_diary.install(self)
        self._install_tray()
        self.log_flow.offer_recovery()
        self.log_flow.prepare()  # the log form built ahead: the first Ctrl+N shows it at once

    # ----------------------------------------------------------------- assembly
    def _build_log_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.log_button = QPushButton("Log a cramp")
        self.log_button.setAccessibleName("Log a cramp")
        self.log_button.setToolTip("Record a cramp episode (Ctrl+N)")
        font = self.log_button.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.log_button.setFont(font)
        metrics = self.log_button.fontMetrics()
        self.log_button.setMinimumHeight(metrics.height() * 2 + 8)
        self.log_button.setMinimumWidth(metrics.horizontalAdvance("Log a cramp") + 72)
        self.log_button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        theme.follow_palette(  # its colours come from the palette, light or dark
            self.log_button,
            lambda: self.log_button.setStyleSheet(theme.primary_button_style(theme.app_palette())),
        )
        self.log_button.clicked.connect(lambda: self.open_log_dialog())
        self.timer = CrampTimer()
        self.timer.setMinimumHeight(self.log_button.minimumHeight())
        hint = QLabel("Cramp right now? Start the timer, stop it when the cramp ends.")
        hint.setWordWrap(True)
        hint.setEnabled(False)
        bar.addWidget(self.log_button)
        bar.addWidget(self.timer)
        bar.addWidget(hint, 1)
        return bar

    def _build_menus(self) -> None:
        menu = self.menuBar()
        self.file_menu = menu.addMenu("&File")
        self._file_end = self.file_menu.addSeparator()
        self.quit_action = self.file_menu.addAction("&Quit")
        self.quit_action.triggered.connect(self.quit_app)

        episode_menu = self.episode_menu = menu.addMenu("&Episode")
        self.log_action = _action(self, "&Log a cramp…")
        self.log_action.triggered.connect(lambda: self.open_log_dialog())
        self.timer_action = _action(self, "Start or stop cramp &timer")
        self.timer_action.triggered.connect(self.timer.toggle)
        self.edit_action = _action(self, "&Edit selected episode…")
        self.edit_action.triggered.connect(self._edit_selected)
        self.delete_action = _action(self, "&Delete selected")
        self.delete_action.triggered.connect(
            lambda: self.delete_episodes(self.history.selected_ids() if self.history else [])
        )
        for action in (self.log_action, self.timer_action, self.edit_action, self.delete_action):
            episode_menu.addAction(action)

        edit_menu = menu.addMenu("E&dit")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        # The status bar says what Undo/Redo did, replacing "Deleted… Undo with Ctrl+Z".
        self.undo_action.triggered.connect(
            lambda: self.show_status(f"Undone: {self.undo_stack.text(self.undo_stack.index())}.")
        )
        self.redo_action.triggered.connect(
            lambda: self.show_status(
                f"Redone: {self.undo_stack.text(self.undo_stack.index() - 1)}."
            )
        )
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.preferences_action = _action(self, "&Preferences…")
        self.preferences_action.triggered.connect(lambda: self.open_preferences())
        edit_menu.addAction(self.preferences_action)

        self.view_menu = menu.addMenu("&View")
        self.appearance = appearance.install(self)  # View > Appearance: System, Light or Dark
        self.help_menu = menu.addMenu("&Help")
        self.shortcuts_action = _action(self, "&Keyboard shortcuts…")
        self.shortcuts_action.triggered.connect(self._show_shortcuts)
        self.help_menu.addAction(self.shortcuts_action)
        about = self.help_menu.addAction("&About Cramp Tracker and your data…")
        about.triggered.connect(self.show_about)

    def _assign_shortcuts(self) -> None:
        # Deferred with the pages (after the first paint): QKeySequence's standard keys are
        # enums Python builds on first use.
        if self._shortcuts_assigned:
            return
        self._shortcuts_assigned = True
        if self.history is not None:
            self.history.assign_shortcuts()
        self._assign_page_keys()
        from PySide6.QtGui import QKeySequence

        keys = QKeySequence.StandardKey
        self.quit_action.setShortcut(keys.Quit)
        self.log_action.setShortcut(keys.New)
        self.timer_action.setShortcut("Ctrl+T")
        self.edit_action.setShortcut("Ctrl+E")
        self.delete_action.setShortcut(keys.Delete)
        self.undo_action.setShortcuts(keys.Undo)
        self.redo_action.setShortcuts(keys.Redo)  # Ctrl+Y and Ctrl+Shift+Z
        self.shortcuts_action.setShortcut(keys.HelpContents)
        self.preferences_action.setShortcut("Ctrl+,")

    def _assign_page_keys(self) -> None:
        keys, self._page_keys = self._page_keys, []
        for action, key in keys:
            action.setShortcut(key)

    def add_page(self, widget: QWidget, title: str) -> None:
        index = self.tabs.addTab(widget, title)
        action = _action(self, title)
        self._page_keys.append((action, f"Ctrl+{index + 1}"))
        if self._shortcuts_assigned:
            self._assign_page_keys()
        action.triggered.connect(lambda: self.tabs.setCurrentWidget(widget))
        if hasattr(self, "view_menu"):
            self.view_menu.addAction(action)
        else:
            self.addAction(action)

    def add_file_actions(self, *actions: QAction) -> None:
        """Feature actions go above Quit."""
        for action in actions:
            self.file_menu.insertAction(self._file_end, action)

    def show_status(self, text: str, timeout_ms: int = 8000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def replace_store(self, store: Store) -> None:
        """Use another open store (after a restore); undo history of the old one is dropped."""
        self.store = store
        self.diary_preferences = preferences.apply_diary_preferences(store)
        self.undo_stack.clear()
        if self.history is not None:
            self.history.set_store(store)
        self._update_title()
        self.episodes_changed.emit()

    def _update_title(self) -> None:
        if self.showing_example:
            self.setWindowTitle(EXAMPLE_TITLE)
        else:
            self.setWindowTitle(f"{self.store.path.name} — Cramp Tracker")

    # ----------------------------------------------------------------- preferences and tray
    def _install_tray(self) -> None:
        from ui.shell.reminders import ReminderScheduler
        from ui.shell.tray import Tray

        tray = self.tray = Tray(self)
        self.reminders = ReminderScheduler(
            self,
            self.settings,
            lambda kind, title, text: tray.notify(title, text, kind),
            answered=lambda kind, day: self.checkin_answered(kind, day),
        )
        if self.start_in_tray and not tray.force():
            self.show()  # no tray on this desktop: a window nobody can reach would be worse
        self.apply_computer_preferences()

    def apply_computer_preferences(self) -> None:
        """The tray icon and reminders as QSettings now say (after Preferences' OK)."""
        from ui.shell.computer_preferences import ComputerPreferences

        prefs = ComputerPreferences.read(self.settings)
        if self.tray is not None:
            self.tray.update_visibility(prefs)
        if self.reminders is not None:
            self.reminders.configure(prefs)

    def apply_diary_preferences(self, prefs: preferences.DiaryPreferences) -> None:
        """Units and time forms changed: the history shows them at once, forms as they open."""
        self.diary_preferences = prefs
        prefs.apply()
        if self.history is not None:
            model = self.history.table.model()
            if model.rowCount() > 0:
                last = model.index(model.rowCount() - 1, model.columnCount() - 1)
                model.dataChanged.emit(model.index(0, 0), last)

    def open_preferences(self) -> PreferencesDialog:
        import shiboken6

        from ui.shell.preferences_dialog import PreferencesDialog  # only when asked for

        dialog = self.preferences_dialog
        if dialog is None or not shiboken6.isValid(dialog):  # (deleted with a parent, say)
            dialog = self.preferences_dialog = PreferencesDialog(self)
        dialog.load()
        dialog.open()
        return dialog

    def closes_to_tray(self) -> bool:
        """Closing the window hides it: the tray icon is shown and the person wants that."""
        if self.tray is None or not self.tray.shown:
            return False
        from ui.shell.computer_preferences import ComputerPreferences

        return ComputerPreferences.read(self.settings).close_to_tray

    def quit_app(self) -> bool:
        """File > Quit and the tray's Quit: close for real (the usual checks), end the app."""
        tray_kept_app = self.tray is not None and self.tray.shown
        self._quitting = True
        try:
            closed = self.close()
        finally:
            self._quitting = False
        if closed and tray_kept_app:  # no last window closes to end the app: end it
            from PySide6.QtWidgets import QApplication

            QApplication.quit()
        return closed

    # ----------------------------------------------------------------- logging (see log_flow)
    @property
    def log_dialog(self) -> LogDialog | None:
        return self.log_flow.log_dialog

    def open_log_dialog(
        self, start: datetime | None = None, seconds: int | None = None
    ) -> LogDialog | None:
        return self.log_flow.open_log_dialog(start, seconds)

    def _edit_selected(self) -> None:
        ids = self.history.selected_ids() if self.history is not None else []
        if ids:
            self.edit_episode(ids[0])

    def edit_episode(self, episode_id: int) -> LogDialog | None:
        return self.log_flow.edit_episode(episode_id)

    def delete_episodes(self, episode_ids: list[int]) -> None:
        if not episode_ids:
            self.show_status("Select one or more episodes to delete.")
            return
        deleted = []
        try:
            for episode_id in episode_ids:
                deleted.append(self.store.delete_episode(episode_id))
        except StoreError as exc:
            self.show_error(str(exc))
        if deleted:
            self.undo_stack.push(DeleteEpisodesCommand(self.command_context, deleted))
            self.episodes_changed.emit()
            count = len(deleted)
            self.show_status(
                f"Deleted {count} episode{'s' if count != 1 else ''}. Undo with Ctrl+Z.", 15000
            )

    def show_error(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox  # lazily: ~1.5 ms of start-up

        QMessageBox.warning(self, "Cramp Tracker", message)

    # ----------------------------------------------------------------- about and geometry
    def _show_shortcuts(self) -> ShortcutsDialog:
        from ui.shell.shortcuts_dialog import show_shortcuts  # only when asked for

        return show_shortcuts(self)

    def show_about(self) -> None:
        import html  # lazily: not needed before the first paint

        from PySide6.QtWidgets import QMessageBox  # lazily: ~1.5 ms of start-up

        QMessageBox.about(
            self,
            "About Cramp Tracker",
            f"<h3>Cramp Tracker {APP_VERSION}</h3>"
            "<p>A private diary for toe, foot and leg cramps.</p>"
            f"<p><b>Your diary file:</b><br>{html.escape(str(self.store.path))}</p>"
            "<p>Your data stays on this computer and is never sent anywhere.</p>"
            "<p>Cramp Tracker does not diagnose. Its tips come from published articles; "
            "see a doctor about cramps that worry you.</p>",
        )

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:  # (QByteArray's type is built on first use: not when unused)
            from PySide6.QtCore import QByteArray

            if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
                return  # (Qt shrinks and moves a saved geometry that no longer fits the screen)
        from ui.widgets.screen_fit import fit_to_screen

        fit_to_screen(self, QSize(*DEFAULT_SIZE))  # 1180x760, or 95% of a smaller screen

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if not self._quitting and self.closes_to_tray():
            event.ignore()  # the app keeps running in the tray
            self.settings.setValue("window/geometry", self.saveGeometry())
            self.hide()
            assert self.tray is not None
            self.tray.say_still_running_once()
            return
        if self.timer.running:
            from PySide6.QtWidgets import QMessageBox  # lazily: ~1.5 ms of start-up

            answer = QMessageBox.question(
                self,
                "Cramp timer running",
                "The cramp timer is still running. Quit anyway?\n\nIts start time is kept in "
                "your diary: next time you open Cramp Tracker it offers to log the cramp.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.sync()
        self.closing.emit()
        super().closeEvent(event)


class _AfterFirstPaint(QObject):
    """Calls ``then`` once: in the event-loop turn after ``widget``'s first paint, or when
    ``fire`` is called first."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._then: Callable[[], None] | None = then
        widget.installEventFilter(self)

    def fire(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            self._widget.removeEventFilter(self)
            then()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            QTimer.singleShot(0, self.fire)
        return False


def _action(parent: QObject, text: str) -> QAction:
    """An action with its text. Not QAction(text, parent): PySide tries the (icon, text,
    parent) overload first for that call, which builds QIcon's enums (~1 ms of start-up)."""
    action = QAction(parent)
    action.setText(text)
    return action
