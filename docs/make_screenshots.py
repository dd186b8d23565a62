"""Screenshots of every page and dialog, light and dark, at 1366x768 and 1920x1080.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshots.py`` (or on a real X
display). Writes docs/screens/<theme>-<size>-<name>.png over a fresh example diary (never the
user's). The README links the light and dark 1366x768 main window shots and this folder.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QEvent, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

OUT = ROOT / "docs" / "screens"
SIZES = [(1366, 768), (1920, 1080)]
THEMES = ["light", "dark"]


def settle(app, rounds: int = 8) -> None:
    for _ in range(rounds):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()


def dialogs(window):
    from ui.data.backup_dialog import BackupDialog
    from ui.data.export_dialog import ExportDialog
    from ui.data.import_dialog import ImportDialog
    from ui.report.dialog import ReportDialog
    from ui.shell.shortcuts_dialog import ShortcutsDialog
    from ui.tips.profile_dialog import ProfileDialog

    def log_form():
        dialog = window.open_log_dialog()
        dialog.form.set_details_visible(True)
        return dialog

    def checkin(mode):
        def build():
            dialog = window.checkin_feature.open_checkin(mode)
            dialog.rows["fluids"].set_value("usual")  # a chosen answer, as it looks
            dialog.rows["night_cramps"].set_value("yes" if mode == "morning" else None)
            dialog.rows["night_cramps"].changed.emit()
            return dialog

        return build

    def medicines():
        from tracker.diary.checkin import Medicine

        if not window.store.medicines():
            today = date.today()
            window.store.add_medicine(
                Medicine("Magnesium", "supplement", today - timedelta(days=60), dose="300 mg")
            )
            window.store.add_medicine(
                Medicine("Amlodipine", "medicine", today - timedelta(days=200), today)
            )
        return window.checkin_feature.open_medicines()

    def edit_form():
        window.history.table.selectRow(0)  # the newest episode
        return window.edit_episode(window.history.selected_ids()[0])

    return {
        "log-form": log_form,
        "edit-form": edit_form,
        "report": lambda: ReportDialog(window.store, window),
        "export": lambda: ExportDialog(window.store, window),
        "import": lambda: ImportDialog(window.store, window),
        "backup": lambda: BackupDialog(window),
        "profile": lambda: ProfileDialog(window.store, window),
        "shortcuts": lambda: ShortcutsDialog(window),
        "checkin-evening": checkin("evening"),
        "checkin-morning": checkin("morning"),
        "medicines": medicines,
        "preferences": window.open_preferences,
    }


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("cramp-tracker-screenshots")
    from tests.factories import make_episode
    from tracker.diary import demo, demo_checkins
    from tracker.store import Store
    from ui.shell.main_window import MainWindow

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "example.sqlite")
        store.add_episodes(demo.generate(400, seed=11, until=date.today()))
        # Check-ins and medicines, for the Tips page's "What goes with your cramps"
        diary = demo_checkins.generate_diary(240, until=date.today() - timedelta(days=1))
        store.add_episodes(diary.episodes)
        store.add_checkins(diary.checkins)
        for medicine in diary.medicines:
            store.add_medicine(medicine)
        recent = datetime.now().astimezone() - timedelta(hours=2)
        store.add_episode(make_episode(started_at=recent, severity=8, warning_signs=("numbness",)))
        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(store, settings)
        window.show()
        count = 0
        for scheme in THEMES:
            window.appearance.choose(scheme)
            for width, height in SIZES:
                window.resize(width, height - 30)  # leave room for a panel, as on a desktop
                size = f"{width}x{height}"
                for index in range(window.tabs.count()):
                    window.tabs.setCurrentIndex(index)
                    settle(app)
                    page = window.tabs.currentWidget()
                    for _ in range(3000):  # Patterns aggregates and draws in threads
                        if not hasattr(page, "up_to_date") or page.up_to_date():
                            break
                        settle(app, 1)
                        time.sleep(0.01)
                    name = window.tabs.tabText(index).replace("&", "").lower()
                    window.grab().save(str(OUT / f"{scheme}-{size}-{name}.png"))
                    count += 1
                    if hasattr(page, "card") and size == "1366x768":  # Patterns: the calendar
                        page.scroll_area.ensureWidgetVisible(page.card("calendar"), 0, 0)
                        for _ in range(3000):
                            settle(app, 1)
                            if page.up_to_date():
                                break
                            time.sleep(0.01)
                        window.grab().save(str(OUT / f"{scheme}-{size}-{name}-calendar.png"))
                        count += 1
                        page.scroll_area.verticalScrollBar().setValue(0)
                    insights = getattr(page, "insights", None)  # the Tips page's section
                    if insights is not None:
                        page.sections.setCurrentWidget(insights)
                        settle(app)
                        insights.wait_for_refresh(30)
                        settle(app)
                        window.grab().save(str(OUT / f"{scheme}-{size}-{name}-insights.png"))
                        count += 1
                        page.sections.setCurrentIndex(0)
                window.tabs.setCurrentIndex(0)
                for name, build in dialogs(window).items():
                    dialog = build()
                    dialog.show()
                    settle(app)
                    dialog.grab().save(str(OUT / f"{scheme}-{size}-{name}.png"))
                    count += 1
                    dialog.close()
                    dialog.deleteLater()
                    settle(app)
        window.close()
        store.close()
    print(f"wrote {count} screenshots to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
