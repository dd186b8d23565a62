"""Start at login, in the tray: the autostart entry written and removed under a temporary
XDG_CONFIG_HOME, checked by desktop-file-validate where it is installed."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ui.shell import autostart
from ui.shell.desktop_entry import APP_ID, exec_quote

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def config_home(tmp_path, monkeypatch):
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text(encoding="utf-8"))
    return dict(parser["Desktop Entry"])


def test_enable_writes_an_entry_that_starts_in_the_tray(config_home):
    path = autostart.enable(str(ROOT / "main.py"))
    assert path == config_home / "autostart" / f"{APP_ID}.desktop"
    entry = read_entry(path)
    expected = [exec_quote(sys.executable), exec_quote(str(ROOT / "main.py")), "--tray"]
    assert entry["Exec"] == " ".join(expected)
    assert entry["Type"] == "Application"
    assert entry["StartupNotify"] == "false"  # no window: no busy cursor
    assert entry["X-GNOME-Autostart-enabled"] == "true"
    assert autostart.is_enabled()
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_entry_passes_desktop_file_validate(config_home):
    path = autostart.enable(str(ROOT / "main.py"))
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.skip("desktop-file-validate is not installed (apt-get install desktop-file-utils)")
    result = subprocess.run([validator, str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower(), result.stdout


def test_enable_twice_then_disable_twice(config_home):
    autostart.enable(str(ROOT / "main.py"))
    autostart.enable(str(ROOT / "main.py"))
    assert autostart.is_enabled()
    autostart.disable()
    assert not autostart.entry_path().exists()
    assert not autostart.is_enabled()
    autostart.disable()  # already gone: fine


def test_unset_or_relative_config_home_means_dot_config(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    for value in ("", "relative/path"):
        monkeypatch.setenv("XDG_CONFIG_HOME", value)
        assert autostart.entry_path() == tmp_path / ".config" / "autostart" / f"{APP_ID}.desktop"


def test_an_entry_the_desktop_disabled_counts_as_off(config_home):
    path = autostart.enable(str(ROOT / "main.py"))
    path.write_text(path.read_text().replace("enabled=true", "enabled=false"))
    assert not autostart.is_enabled()


def test_a_file_in_place_of_the_folder_gives_a_message(config_home):
    config_home.mkdir(parents=True)
    (config_home / "autostart").write_text("not a folder")
    with pytest.raises(autostart.AutostartError) as caught:
        autostart.enable(str(ROOT / "main.py"))
    message = str(caught.value)
    assert "could not set itself to start at login" in message
    assert str(config_home / "autostart") in message and "try again" in message
    assert (config_home / "autostart").read_text() == "not a folder"  # left as it was


def test_a_folder_in_place_of_the_entry_gives_a_message_on_both_ways(config_home):
    blocker = autostart.entry_path()
    blocker.mkdir(parents=True)
    (blocker / "keep").write_text("x")
    with pytest.raises(autostart.AutostartError, match="that is a folder"):
        autostart.enable(str(ROOT / "main.py"))
    with pytest.raises(autostart.AutostartError, match="could not stop starting at login"):
        autostart.disable()
    assert (blocker / "keep").read_text() == "x"
