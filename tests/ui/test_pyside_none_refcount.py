"""Regression guard for PySide6 6.12.0 on CPython 3.11 (see ENGINEERING.md).

That release drops one reference to None on every Qt call that returns nothing; after a few
thousand calls the interpreter aborts with ``Fatal Python error: none_dealloc``. The pin in
pyproject.toml keeps it out; this test fails (or crashes) if it ever comes back.
"""

import sys

from PySide6.QtWidgets import QLabel

CALLS = 100_000


def test_100k_void_qt_calls_keep_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for i in range(CALLS // 2):
        label.setText("x" if i % 2 else "y")  # returns None
        label.setEnabled(bool(i % 3))  # returns None
    after = sys.getrefcount(None)
    assert label.text() == "x" and label.isEnabled()
    if sys.version_info < (3, 12):  # from 3.12 None is immortal and its count is fixed
        assert after >= before - 1_000, f"None lost {before - after} references"
