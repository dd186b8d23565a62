"""Preferences > "Start at login, in the tray": a freedesktop autostart entry for this user.

Writes $XDG_CONFIG_HOME/autostart/<APP_ID>.desktop ($XDG_CONFIG_HOME is ~/.config when unset
or not absolute): the shipped launcher, its Exec line the command running now (as
desktop_entry.py finds it) plus ``--tray``, so that the app starts hidden, with its tray icon.
Removing the entry removes that file; a file already gone is fine. Written atomically: a
session starting while we write reads the whole file or none. Plain Python: no Qt.
"""

from __future__ import annotations

import os
from pathlib import Path

from tracker.store import fileio
from ui.shell.desktop_entry import APP_ID, desktop_entry_text, launch_command

TRAY_ARGUMENT = "--tray"


class AutostartError(Exception):
    """Says what went wrong with the autostart entry and what to do, for a message box."""


def config_home() -> Path:
    value = os.environ.get("XDG_CONFIG_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".config"


def entry_path() -> Path:
    return config_home() / "autostart" / f"{APP_ID}.desktop"


def is_enabled() -> bool:
    """An entry of ours is in place (one the person disabled in their desktop counts as off)."""
    path = entry_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    lines = {line.strip() for line in text.splitlines()}
    return "Hidden=true" not in lines and "X-GNOME-Autostart-enabled=false" not in lines


def autostart_text(command: list[str]) -> str:
    """The launcher, started with --tray and without a busy cursor (no window appears)."""
    lines = []
    for line in desktop_entry_text([*command, TRAY_ARGUMENT]).splitlines():
        if line.startswith("StartupNotify="):
            line = "StartupNotify=false"
        elif line.startswith("Comment="):
            line = "Comment=Starts Cramp Tracker in the tray at login (turn off in its Preferences)"
        lines.append(line)
    lines.append("X-GNOME-Autostart-enabled=true")
    return "\n".join(lines) + "\n"


def enable(argv0: str | None = None) -> Path:
    """Write the entry; raise AutostartError with a message to show."""
    path = entry_path()
    text = autostart_text(launch_command(argv0))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with fileio.atomic_path(path, mode=0o644, what="the autostart entry") as partial:
            partial.write_text(text, encoding="utf-8")
    except OSError as exc:  # FileWriteError is an OSError with a message naming the file
        raise AutostartError(
            f"Cramp Tracker could not set itself to start at login: {_reason(exc, path)}. "
            f"Check that you can write to '{path.parent}', then try again."
        ) from exc
    return path


def disable() -> None:
    """Remove the entry; nothing to do when it is not there."""
    path = entry_path()
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise AutostartError(
            f"Cramp Tracker could not stop starting at login: {_reason(exc, path)}. "
            f"Delete '{path}' yourself, or check its folder's permissions."
        ) from exc


def set_enabled(enabled: bool, argv0: str | None = None) -> None:
    if enabled:
        enable(argv0)
    else:
        disable()


def _reason(exc: OSError, path: Path) -> str:
    if isinstance(exc, fileio.FileWriteError):
        return str(exc).rstrip(".")
    return f"'{path}': {fileio.describe_os_error(exc)}"
