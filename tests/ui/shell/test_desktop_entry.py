"""Desktop integration: the shipped launcher, metainfo and icon, and
`cramp-tracker --install-desktop-entry`, run as a person would in a fresh process."""

import configparser
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ui.shell import desktop_entry
from ui.shell.desktop_entry import APP_ID, DESKTOP_FILE, ICON, METAINFO, exec_quote

ROOT = Path(__file__).resolve().parents[3]


def run_main(args, env_extra, argv0=None, cwd=ROOT):
    """main.main() in a new process; `argv0` stands for the command it was started as."""
    code = (
        "import sys\n"
        f"sys.argv = [{str(argv0 or ROOT / 'main.py')!r}] + {list(args)!r}\n"
        "import main\n"
        "status = main.main()\n"
        "print('qt-loaded' if 'PySide6' in sys.modules else 'no-qt')\n"
        "sys.exit(status)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), **env_extra}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return dict(parser["Desktop Entry"])


def installed(data_home: Path) -> tuple[Path, Path]:
    return (
        data_home / "applications" / f"{APP_ID}.desktop",
        data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
    )


def test_install_from_a_checkout_runs_python_main_py(tmp_path):
    data = tmp_path / "data"
    result = run_main(["--install-desktop-entry"], {"XDG_DATA_HOME": str(data)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("no-qt")  # installing opens no window
    launcher, icon = installed(data)
    assert icon.read_bytes() == ICON.read_bytes()
    entry = read_entry(launcher)
    assert entry["Exec"] == f"{exec_quote(sys.executable)} {exec_quote(str(ROOT / 'main.py'))}"
    assert entry["TryExec"] == sys.executable
    assert entry["Icon"] == APP_ID == icon.stem
    assert entry["Name"] == "Cramp Tracker" and entry["Type"] == "Application"
    assert str(launcher) in result.stdout
    validate = shutil.which("desktop-file-validate")
    if validate:
        check = subprocess.run([validate, str(launcher)], capture_output=True, text=True)
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout


def test_install_from_the_installed_command_names_it_by_full_path(tmp_path):
    """pipx puts `cramp-tracker` in ~/.local/bin, often not on a desktop session's PATH."""
    folder = tmp_path / "my apps"  # a space: the Exec argument is quoted
    folder.mkdir()
    command = folder / "cramp-tracker"
    command.write_text("#!/bin/sh\n", encoding="utf-8")
    command.chmod(0o755)
    data = tmp_path / "data"
    result = run_main(["--install-desktop-entry"], {"XDG_DATA_HOME": str(data)}, argv0=command)
    assert result.returncode == 0, result.stderr
    entry = read_entry(installed(data)[0])
    assert entry["Exec"] == f'"{command}"'
    assert entry["TryExec"] == str(command)


def test_without_xdg_data_home_it_goes_to_local_share(tmp_path):
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": "relative/is/ignored"}
    result = run_main(["--install-desktop-entry"], env)
    assert result.returncode == 0, result.stderr
    for path in installed(tmp_path / ".local" / "share"):
        assert path.is_file()


def test_installing_again_replaces_the_launcher(tmp_path):
    data = {"XDG_DATA_HOME": str(tmp_path)}
    assert run_main(["--install-desktop-entry"], data).returncode == 0
    assert run_main(["--install-desktop-entry"], data).returncode == 0
    assert sorted(p.name for p in (tmp_path / "applications").iterdir()) == [f"{APP_ID}.desktop"]


def test_the_option_is_in_the_help_and_db_still_works(tmp_path):
    result = run_main(["--help"], {})
    assert result.returncode == 0 and "--install-desktop-entry" in result.stdout
    from ui.shell.app import parse_args

    assert parse_args(["--db", "x.sqlite"]).db == Path("x.sqlite")  # the fast path, no argparse
    assert parse_args(["--install-desktop-entry"]).install_desktop_entry


@pytest.mark.parametrize(
    ("argument", "written"),
    (
        ("/usr/bin/python3", "/usr/bin/python3"),
        ("/home/ann/my apps/cramp-tracker", '"/home/ann/my apps/cramp-tracker"'),
        ("/opt/100%/x", "/opt/100%%/x"),
        ('/a "b"/$c', '"/a \\\\"b\\\\"/\\\\$c"'),
        ("C:\\x y", '"C:\\\\\\\\x y"'),
    ),
)
def test_exec_arguments_are_quoted_as_the_spec_says(argument, written):
    assert exec_quote(argument) == written


def test_shipped_launcher_and_metainfo_agree():
    entry = read_entry(DESKTOP_FILE)
    assert entry["Icon"] == APP_ID and entry["Exec"] == "cramp-tracker"
    assert DESKTOP_FILE.name == f"{APP_ID}.desktop"
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP_FILE.name
    assert root.findtext("name") == entry["Name"]
    assert root.findtext("project_license") == "MIT"
    icon = ET.parse(ICON).getroot()
    assert icon.tag.endswith("svg") and icon.get("viewBox") == "0 0 128 128"
    for tool, args in (
        ("desktop-file-validate", [str(DESKTOP_FILE)]),
        ("appstreamcli", ["validate", "--no-net", str(METAINFO)]),
    ):
        found = shutil.which(tool)
        if found:
            check = subprocess.run([found, *args], capture_output=True, text=True)
            assert check.returncode == 0, check.stdout + check.stderr


def test_the_wheel_carries_the_resources():
    """Installed with pip or pipx, the app reads ../resources beside tracker/ and ui/."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    assert "resources" in setuptools["packages"]["find"]["include"]
    patterns = setuptools["package-data"]["resources"]
    for path in (ROOT / "resources").iterdir():
        assert any(path.match(p) for p in patterns), f"{path.name} would be left out"
    assert desktop_entry.RESOURCES == ROOT / "resources"


def test_the_window_icon_draws(qapp):
    from ui.shell.app import app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert not icon.pixmap(48, 48).isNull()
