"""A second copy started for the same diary brings the running window to the front.

The running copy's side (server, raising the window) is tested in this process; the asking side
runs in child processes, because a second QApplication must never start in the test process.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow

from ui.shell.single_instance import (
    RAISE_REQUEST,
    RAISED_REPLY,
    SWITCHED_MESSAGE,
    ask_server,
    server_name,
    start_server,
)

ROOT = Path(__file__).resolve().parents[3]
ASK = (
    "import sys\n"
    "from PySide6.QtCore import QCoreApplication\n"
    "from ui.shell.single_instance import ask_server\n"
    "app = QCoreApplication([])\n"
    "sys.exit(0 if ask_server(sys.argv[1]) else 3)\n"
)


def _env(tmp_path, **extra):
    """Settings and app data of child copies go to tmp, never to the real home."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data-home"),
    )
    env.update(extra)
    return env


def _socket_path(name: str) -> Path:
    return Path(QDir.tempPath()) / name


# ----------------------------------------------------------------- the name
def test_name_is_short_stable_and_one_per_diary(tmp_path, monkeypatch):
    diary = tmp_path / "diary.sqlite"
    name = server_name(diary)
    assert re.fullmatch(r"cramp-tracker-[0-9a-f]{20}", name)
    assert server_name(diary) == name
    assert server_name(tmp_path / "other.sqlite") != name
    monkeypatch.chdir(tmp_path)
    assert server_name("diary.sqlite") == name  # relative and absolute: one diary
    link = tmp_path / "link.sqlite"
    link.symlink_to(diary)
    assert server_name(link) == name


def test_name_differs_per_user(tmp_path, monkeypatch):
    import ui.shell.single_instance as single_instance

    name = server_name(tmp_path / "diary.sqlite")
    monkeypatch.setattr(single_instance, "_user", lambda: "someone-else")
    assert server_name(tmp_path / "diary.sqlite") != name


# ----------------------------------------------------------------- the running copy
@pytest.fixture
def minimised_window(qtbot, tmp_path):
    window = QMainWindow()
    window.setWindowTitle("running copy")
    qtbot.addWidget(window)
    window.showMinimized()
    assert QTest.qWaitForWindowExposed(window) or window.isMinimized()
    server = start_server(window, tmp_path / "diary.sqlite")
    assert server is not None and server.is_listening()
    yield window, server
    server.close()


def test_raise_request_brings_a_minimised_window_to_the_front(minimised_window, qtbot):
    window, server = minimised_window
    assert window.isMinimized()
    socket = QLocalSocket()
    socket.connectToServer(server.name)
    assert socket.waitForConnected(2000)
    with qtbot.waitSignal(server.raise_requested, timeout=5000):
        socket.write(RAISE_REQUEST)
        socket.flush()
    qtbot.waitUntil(lambda: socket.bytesAvailable() > 0 or not socket.isOpen(), timeout=5000)
    assert bytes(socket.readAll().data()) == RAISED_REPLY
    assert not window.isMinimized() and window.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)


def test_anything_else_is_ignored(minimised_window, qtbot):
    window, server = minimised_window
    socket = QLocalSocket()
    socket.connectToServer(server.name)
    assert socket.waitForConnected(2000)
    raised = []
    server.raise_requested.connect(lambda: raised.append(True))
    socket.write(b"format c:\n")
    socket.flush()
    qtbot.waitUntil(lambda: socket.state() == QLocalSocket.LocalSocketState.UnconnectedState)
    assert raised == [] and window.isMinimized()


def test_a_copy_in_another_process_gets_its_answer(minimised_window, qtbot, tmp_path):
    window, server = minimised_window
    child = subprocess.Popen([sys.executable, "-c", ASK, server.name], cwd=ROOT, env=_env(tmp_path))
    try:
        qtbot.waitUntil(lambda: child.poll() is not None, timeout=30000)  # serving meanwhile
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0
    assert not window.isMinimized()


def test_nobody_listening_means_no(tmp_path):
    started = time.monotonic()
    assert not ask_server(server_name(tmp_path / "nobody.sqlite"), timeout_ms=2000)
    assert time.monotonic() - started < 1.5


def test_socket_left_by_a_crashed_copy_does_not_block_the_next(qtbot, tmp_path):
    name = server_name(tmp_path / "diary.sqlite")
    crash = (
        "import os, sys\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from PySide6.QtNetwork import QLocalServer\n"
        "app = QCoreApplication([])\n"
        "server = QLocalServer()\n"
        "assert server.listen(sys.argv[1])\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", crash, name], env=_env(tmp_path), check=True, timeout=60)
    assert _socket_path(name).exists()  # the stale socket file
    window = QMainWindow()
    qtbot.addWidget(window)
    server = start_server(window, tmp_path / "diary.sqlite")
    assert server is not None and server.is_listening()
    server.close()


# ----------------------------------------------------------------- main.py, twice
def test_second_copy_switches_to_the_first_and_exits(tmp_path):
    db = tmp_path / "diary.sqlite"
    env = _env(tmp_path)
    first = subprocess.Popen(
        [sys.executable, "main.py", "--db", str(db)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not _socket_path(server_name(db)).exists():
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first copy never listened"
            time.sleep(0.1)
        second = subprocess.run(
            [sys.executable, "main.py", "--db", str(db)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 0, second.stderr
        assert second.stdout.strip() == SWITCHED_MESSAGE
        assert "Traceback" not in second.stderr
        assert first.poll() is None  # the first copy keeps running
    finally:
        first.terminate()
        first.communicate(timeout=30)
        QLocalServer.removeServer(server_name(db))  # terminated copies leave their socket


def test_locked_without_an_answer_shows_the_old_error(tmp_path, store, db_path):
    """The diary is locked (here by this test's own store) and no copy answers."""
    result = subprocess.run(
        [sys.executable, "main.py", "--db", str(db_path)],
        cwd=ROOT,
        env=_env(tmp_path, CRAMP_TRACKER_EXIT_AFTER_SHOW="1"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "already open in another copy" in result.stderr
    assert SWITCHED_MESSAGE not in result.stdout
