"""Start the GUI: find the diary file, open it safely, show the window."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QStandardPaths, QTimer
from PySide6.QtWidgets import QApplication

from tracker.store import DatabaseLockedError, Store, StoreError
from ui.shell.desktop_entry import APP_ID, ICON

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

    from ui.shell.integrity_check import IntegrityCheck
    from ui.shell.main_window import MainWindow
    from ui.shell.single_instance import InstanceServer

DB_FILENAME = "cramps.sqlite"
INSTANCE_SERVER_DELAY_MS = 250
INTEGRITY_CHECK_DELAY_MS = 1000  # after the first paint and the deferred pages
CHECK_WAIT_AT_EXIT_S = 5.0


def default_db_path() -> Path:
    """The platform's per-user application data folder (e.g. ~/.local/share/cramp-tracker)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(folder) / DB_FILENAME


@dataclass(frozen=True)
class GuiArgs:
    db: Path | None = None
    install_desktop_entry: bool = False
    tray: bool = False  # start hidden, with the tray icon (start at login: ui/shell/autostart.py)


def parse_args(argv: list[str]) -> GuiArgs:
    """``--db PATH`` is read directly; anything else goes to argparse for help and errors.

    (argparse with gettext costs ~10 ms of start-up, a tenth of the budget.)
    """
    if not argv:
        return GuiArgs()
    if argv == ["--tray"]:
        return GuiArgs(tray=True)
    if len(argv) == 2 and argv[0] == "--db" and not argv[1].startswith("-"):
        return GuiArgs(db=Path(argv[1]))
    if len(argv) == 1 and argv[0].startswith("--db=") and len(argv[0]) > 5:
        return GuiArgs(db=Path(argv[0][5:]))
    import argparse

    parser = argparse.ArgumentParser(
        prog="cramp-tracker",
        description="Cramp Tracker: a private diary for toe, foot and leg cramps. "
        "Subcommands: demo, export, import, backup, restore, report (use SUBCOMMAND --help).",
    )
    parser.add_argument("--db", type=Path, help="open this diary file instead of the default")
    parser.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add Cramp Tracker with its icon to your applications menu (Linux), then exit",
    )
    parser.add_argument(
        "--tray",
        action="store_true",
        help="start with no window, as an icon in the system tray (where the desktop has one)",
    )
    args = parser.parse_args(argv)
    return GuiArgs(db=args.db, install_desktop_entry=args.install_desktop_entry, tray=args.tray)


def after_first_paint(window: MainWindow) -> None:
    """What start-up does once the newest episodes are on screen (the app, and the benchmarks
    that start the window as it does): the other pages, then, once their deferred work is
    done, the objects built so far frozen out of the garbage collector's way."""
    from ui.shell import memory

    memory.freeze_startup_objects()  # what start-up made so far; the pages and forms follow
    window.finish_setup()
    QTimer.singleShot(memory.FREEZE_AFTER_MS, window, memory.freeze_startup_objects)


def run_gui(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.install_desktop_entry:
        from ui.shell.desktop_entry import install

        return install()
    running = QApplication.instance()
    app = running if isinstance(running, QApplication) else QApplication([sys.argv[0]])
    # No organisation name: AppDataLocation is then ~/.local/share/cramp-tracker on Linux.
    app.setApplicationName("cramp-tracker")
    app.setApplicationDisplayName("Cramp Tracker")
    app.setDesktopFileName(APP_ID)  # Wayland and docks match the window to its launcher
    path = args.db or default_db_path()
    try:
        store = Store.open(path)
    except (StoreError, OSError) as exc:
        # Store.open says what is wrong with a StoreError; anything else still gets a message
        # (a window that silently never appears is the worst answer)
        if isinstance(exc, DatabaseLockedError) and _switch_to_running_copy(path):
            return 0
        message = str(exc) if isinstance(exc, StoreError) else f"Cannot open '{path}': {exc}"
        print(f"cramp-tracker: {message}", file=sys.stderr)
        if os.environ.get("QT_QPA_PLATFORM") != "offscreen":
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, "Cramp Tracker cannot open your diary", message)
        return 1

    from ui.shell.appearance import apply_saved
    from ui.shell.main_window import MainWindow

    settings = QSettings("CrampTracker", "cramp-tracker")
    apply_saved(settings, starting=True)  # before any widget exists: nothing to re-style
    window = MainWindow(
        store, settings, install_features=False, defer_pages=True, background_loads=True
    )
    # --tray: the window stays hidden; the tray icon appears with the pages (finish_setup),
    # or, on a desktop without a tray, the window after all.
    window.start_in_tray = args.tray
    # The history is built before the first paint: one paint shows the log controls and the
    # newest episodes together (its first rows are one indexed query; the rest of its ids are
    # read in a thread). Once they are painted, the other pages and menus are installed.
    exit_after = os.environ.get("CRAMP_TRACKER_EXIT_AFTER_SHOW")

    def after_history() -> None:
        if exit_after == "history":  # the start-up benchmark: what a person waits for
            rows = window.history.table.model().rowCount() if window.history else 0
            print(f"history-shown {rows}", flush=True)
        app.setWindowIcon(app_icon())  # once the rows are on screen: it costs start-up nothing
        after_first_paint(window)
        if exit_after:  # benchmarks and smoke tests quit once every page was built
            window.quit_app()
            if args.tray:  # no window closed to end the loop: end it
                QTimer.singleShot(0, app.quit)

    window.show_history_then(after_history)
    if not args.tray:
        window.show()
    app.processEvents()  # paint the window now
    # Once the history rows are painted, answer later copies started for this diary by
    # raising this window (ui/shell/single_instance.py).
    servers: list[InstanceServer | None] = []
    QTimer.singleShot(
        INSTANCE_SERVER_DELAY_MS,
        window,
        lambda: servers.append(_start_instance_server(window, path)),
    )
    # The full check of the file, skipped by a clean open, runs in a thread once on screen.
    checks: list[IntegrityCheck | None] = []

    def check_integrity() -> None:
        from ui.shell.integrity_check import start_if_needed  # not needed for the first paint

        checks.append(start_if_needed(store, window))

    QTimer.singleShot(INTEGRITY_CHECK_DELAY_MS, window, check_integrity)
    if exit_after:
        # For start-up benchmarks and smoke tests: say when the window is on screen.
        print("window-shown", flush=True)
    try:
        if exit_after and not window.isVisible() and not args.tray:
            return 0  # an empty diary: every page was built and the window closed in that paint
        return app.exec()
    finally:
        for server in servers:
            if server is not None:
                server.close()
        for check in checks:
            if check is not None:  # its reader closed first, so the diary closes cleanly
                check.wait(CHECK_WAIT_AT_EXIT_S)
        store.close()


def app_icon() -> QIcon:
    """The window icon from the SVG we ship; Qt's SVG icon engine draws each size when needed."""
    from PySide6.QtGui import QIcon  # lazily: its type (and enums) cost start-up ~1.5 ms

    return QIcon(str(ICON))


def _switch_to_running_copy(path: Path) -> bool:
    """The diary is locked: if the copy that has it open answers, bring it to the front."""
    from ui.shell.single_instance import SWITCHED_MESSAGE, ask_running_copy

    if not ask_running_copy(path):
        return False
    print(SWITCHED_MESSAGE, flush=True)
    return True


def _start_instance_server(window: MainWindow, path: Path) -> InstanceServer | None:
    from ui.shell.single_instance import start_server  # QtNetwork: loaded after the first paint

    return start_server(window, path)
