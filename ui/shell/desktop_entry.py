"""`cramp-tracker --install-desktop-entry`: a menu launcher and icon for this user (Linux).

Writes the freedesktop launcher (resources/<APP_ID>.desktop) to
$XDG_DATA_HOME/applications and the icon to $XDG_DATA_HOME/icons/hicolor/scalable/apps
($XDG_DATA_HOME is ~/.local/share when unset). Its Exec line names the command that is running
now: the installed `cramp-tracker` (pipx, pip) by its full path, since a desktop session's PATH
often lacks ~/.local/bin, or `python main.py` from a source checkout. Plain Python: no Qt.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from tracker.store import fileio

APP_ID = "io.github.cramptracker.CrampTracker"
RESOURCES = Path(__file__).resolve().parents[2] / "resources"
ICON = RESOURCES / f"{APP_ID}.svg"
DESKTOP_FILE = RESOURCES / f"{APP_ID}.desktop"
METAINFO = RESOURCES / f"{APP_ID}.metainfo.xml"
MAIN = RESOURCES.parent / "main.py"
COMMAND = "cramp-tracker"
# Characters that make the Desktop Entry spec require an argument to be quoted.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def data_home() -> Path:
    """$XDG_DATA_HOME, or ~/.local/share when it is unset or not absolute (as the spec says)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def launch_command(argv0: str | None = None) -> list[str]:
    """How the menu should start the app: the way it was started now."""
    script = Path(sys.argv[0] if argv0 is None else argv0)
    if script.suffix == ".py":  # python main.py, python -m main
        return [sys.executable, str(script.resolve())]
    if script.name and script.is_file() and os.access(script, os.X_OK):
        return [str(script.absolute())]  # not resolved: pipx's link survives an upgrade
    found = shutil.which(COMMAND)
    if found:
        return [found]
    return [sys.executable, str(MAIN)]


def exec_quote(argument: str) -> str:
    """One argument for an Exec line: quoted and escaped as the Desktop Entry spec asks."""
    if argument and not _RESERVED.intersection(argument):
        quoted = argument
    else:
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
        quoted = f'"{escaped}"'
    # then the rules of every string value: a backslash is written twice; % starts a field code
    return quoted.replace("\\", "\\\\").replace("%", "%%")


def desktop_entry_text(command: list[str]) -> str:
    """The shipped launcher with its Exec (and TryExec) pointing at `command`."""
    lines = []
    for line in DESKTOP_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + " ".join(exec_quote(part) for part in command)
        elif line.startswith("TryExec="):
            line = "TryExec=" + command[0].replace("\\", "\\\\")
        lines.append(line)
    return "\n".join(lines) + "\n"


def _write(path: Path, data: bytes) -> None:
    """Whole or not at all: desktops watch these folders and read files as they appear."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with fileio.atomic_path(path, mode=0o644, what=f"the launcher '{path.name}'") as partial:
        partial.write_bytes(data)


def install(argv0: str | None = None) -> int:
    if sys.platform in ("win32", "darwin"):
        print(
            "cramp-tracker: --install-desktop-entry is for Linux desktops (freedesktop.org).",
            file=sys.stderr,
        )
        return 1
    home = data_home()
    launcher = home / "applications" / f"{APP_ID}.desktop"
    icon = home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    command = launch_command(argv0)
    try:
        _write(icon, ICON.read_bytes())
        _write(launcher, desktop_entry_text(command).encode("utf-8"))
    except OSError as exc:
        print(f"cramp-tracker: could not install the launcher: {exc}", file=sys.stderr)
        return 1
    print(f"Installed the launcher {launcher}")
    print(f"Installed the icon {icon}")
    print(f"Cramp Tracker is in your applications menu; it starts: {' '.join(command)}")
    return 0
