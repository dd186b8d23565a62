"""Explicit wiring (issue #10): every dependency is an import a reader and a checker can see.

The core never names the UI, not even as a string for a registry to import later, and no
module picks its collaborators out of a list of module names with importlib.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORTS_UI = re.compile(r"^\s*(from\s+ui(\.|\s)|import\s+ui\b)", re.MULTILINE)
NAMES_UI = re.compile(r"""["']ui(\.[A-Za-z_]\w*)+["']""")
DYNAMIC_IMPORT = re.compile(r"\bimport_module\s*\(|\b__import__\s*\(")


def _sources(*folders: str):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def test_the_core_never_imports_the_ui():
    assert [name for name, text in _sources("tracker") if IMPORTS_UI.search(text)] == []


def test_the_core_never_names_a_ui_module():
    offenders = [
        f"{name}: {match.group(0)}"
        for name, text in _sources("tracker")
        for match in NAMES_UI.finditer(text)
    ]
    assert offenders == []


def test_no_module_imports_from_a_registry_of_names():
    offenders = [name for name, text in _sources("tracker", "ui") if DYNAMIC_IMPORT.search(text)]
    assert offenders == []


def test_the_checks_see_what_they_look_for():
    assert IMPORTS_UI.search("x = 1\nfrom ui.report import command\n")
    assert IMPORTS_UI.search("    import ui.shell.app\n")
    assert not IMPORTS_UI.search("from uikit import x\nimport uid\n")
    assert NAMES_UI.search('COMMANDS = {"report": "ui.report.command"}')
    assert not NAMES_UI.search('"see ui/report" and "gui.py"')
    assert DYNAMIC_IMPORT.search("importlib.import_module(name).install(self)")
    assert not DYNAMIC_IMPORT.search("importlib.util.find_spec('matplotlib')")
