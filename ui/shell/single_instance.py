"""One running copy per diary: starting a second one brings the open window to the front.

The diary's file lock (tracker.store) decides which copy runs. This module only carries the
request "raise" from the refused copy to the running one, over a local socket whose name comes
from the diary's absolute path and the user, so two diaries (or two users) never meet.
"""

from __future__ import annotations

import getpass
import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QWidget

RAISE_REQUEST = b"raise\n"
RAISED_REPLY = b"raised\n"
SWITCHED_MESSAGE = "Cramp Tracker is already open with this diary; switched to it."
ANSWER_TIMEOUT_MS = 2000


def server_name(db_path: Path | str) -> str:
    """A short socket name for this diary and user (Unix socket paths must stay short)."""
    path = Path(db_path).expanduser().resolve()
    digest = hashlib.sha256(f"{_user()}\0{path}".encode()).hexdigest()[:20]
    return f"cramp-tracker-{digest}"


def _user() -> str:
    if hasattr(os, "getuid"):
        return str(os.getuid())
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user name at all
        return "user"


class InstanceServer(QObject):
    """Listens for a second copy of the app; emits raise_requested when one asks."""

    raise_requested = Signal()

    def __init__(self, name: str, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        if self._server.listen(self.name):
            return True
        # A copy that crashed leaves its socket file behind. This copy holds the diary's lock,
        # so no running copy can own the name: the file is stale and safe to remove.
        QLocalServer.removeServer(self.name)
        return self._server.listen(self.name)

    def is_listening(self) -> bool:
        return self._server.isListening()

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        request = bytes(socket.readLine().data())
        if request == RAISE_REQUEST:
            socket.write(RAISED_REPLY)
            socket.flush()
            self.raise_requested.emit()
        socket.disconnectFromServer()


def bring_to_front(window: QWidget) -> None:
    """Show the window as it was before minimising, on top, with keyboard focus."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
    modal = QApplication.activeModalWidget()
    if modal is not None and modal is not window:
        modal.raise_()
        modal.activateWindow()


def start_server(window: QWidget, db_path: Path | str) -> InstanceServer | None:
    """Answer later copies for this diary by raising ``window``; None if it cannot listen."""
    server = InstanceServer(server_name(db_path), window)
    if not server.listen():
        return None
    server.raise_requested.connect(lambda: bring_to_front(window))
    return server


def ask_running_copy(db_path: Path | str, timeout_ms: int = ANSWER_TIMEOUT_MS) -> bool:
    """Ask the copy that has this diary open to come to the front; True if it said it did."""
    return ask_server(server_name(db_path), timeout_ms)


def ask_server(name: str, timeout_ms: int = ANSWER_TIMEOUT_MS) -> bool:
    socket = QLocalSocket()
    socket.connectToServer(name)
    try:
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(RAISE_REQUEST)
        if not socket.waitForBytesWritten(timeout_ms):
            return False
        reply = b""
        while not reply.endswith(b"\n") and socket.waitForReadyRead(timeout_ms):
            reply += bytes(socket.readAll().data())
        return reply == RAISED_REPLY
    finally:
        socket.abort()
