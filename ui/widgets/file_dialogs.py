"""Save and folder dialogs that open in a folder that exists, and remember the last one used.

Each kind of file (export, chart, backup, report PDF) starts in the folder the person last
saved that kind to; the first time in Documents (charts: Pictures), or the home folder when
that does not exist: a dialog opened on a missing folder shows an empty path with its button
disabled, and a first export once failed that way. The folders are kept in the window's
QSettings under "folders/<kind>".

QFileDialog's static functions are called with positional arguments only, so tests can patch
them with a plain ``lambda *args``.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

_Location = QStandardPaths.StandardLocation
START_LOCATIONS = {
    "export": _Location.DocumentsLocation,
    "report": _Location.DocumentsLocation,
    "backup": _Location.DocumentsLocation,
    "chart": _Location.PicturesLocation,
}
SETTINGS_GROUP = "folders"


def settings_for(widget: QWidget | None) -> QSettings | None:
    """The QSettings of the main window `widget` belongs to (its `settings`), if any."""
    while widget is not None:
        settings = getattr(widget, "settings", None)
        if isinstance(settings, QSettings):
            return settings
        widget = widget.parentWidget()
    return None


def default_folder(kind: str) -> Path:
    """Documents (charts: Pictures) when it exists, else the home folder."""
    location = QStandardPaths.writableLocation(START_LOCATIONS[kind])
    if location and Path(location).is_dir():
        return Path(location)
    return Path.home()


def start_folder(kind: str, widget: QWidget | None = None) -> Path:
    """The folder last used for this kind, while it still exists; otherwise the default."""
    settings = settings_for(widget)
    saved = settings.value(f"{SETTINGS_GROUP}/{kind}") if settings is not None else None
    if saved and Path(str(saved)).is_dir():
        return Path(str(saved))
    return default_folder(kind)


def remember_folder(kind: str, folder: str | Path, widget: QWidget | None = None) -> None:
    settings = settings_for(widget)
    if settings is not None and folder:
        settings.setValue(f"{SETTINGS_GROUP}/{kind}", str(Path(folder).absolute()))


def suggested_path(kind: str, name: str, widget: QWidget | None = None) -> Path:
    """`name` in the start folder for `kind`."""
    return start_folder(kind, widget) / name


def save_file(
    parent: QWidget,
    kind: str,
    caption: str,
    suggestion: str | Path,
    filters: str = "",
    selected_filter: str = "",
) -> tuple[str, str]:
    """QFileDialog.getSaveFileName starting at `suggestion`.

    A bare file name goes into the start folder for `kind`; a full path is kept when its folder
    exists. The folder of the chosen file is remembered for next time.
    """
    path = Path(suggestion).expanduser()
    if not (path.is_absolute() and path.parent.is_dir()):
        path = suggested_path(kind, path.name, parent)
    if selected_filter:
        chosen, chosen_filter = QFileDialog.getSaveFileName(
            parent, caption, str(path), filters, selected_filter
        )
    else:
        chosen, chosen_filter = QFileDialog.getSaveFileName(parent, caption, str(path), filters)
    if chosen:
        remember_folder(kind, Path(chosen).parent, parent)
    return chosen, chosen_filter


def choose_folder(parent: QWidget, kind: str, caption: str) -> str:
    """QFileDialog.getExistingDirectory starting in an existing folder; remembers the choice."""
    folder = QFileDialog.getExistingDirectory(parent, caption, str(start_folder(kind, parent)))
    if folder:
        remember_folder(kind, folder, parent)
    return folder


def dated_name(prefix: str, suffix: str, when: date | datetime | None = None) -> str:
    """'cramp-diary-2026-11-21.csv': file names use ISO dates, which sort and read anywhere."""
    when = when or date.today()
    stamp = f"{when:%Y-%m-%d-%H%M%S}" if isinstance(when, datetime) else f"{when:%Y-%m-%d}"
    return f"{prefix}-{stamp}{suffix}"
