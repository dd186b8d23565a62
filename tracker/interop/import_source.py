"""Reading a file to import a piece at a time: its first bytes, its text, its lines, its JSON.

A diary of a million episodes exports to about 470 MB of JSON. Holding that file, its text and
its parsed document at once takes gigabytes, so nothing here reads a file whole: text is decoded
a megabyte at a time (with the line number of a byte that is not UTF-8), CSV gets physical lines,
and JSON is read one value at a time. Only the episodes themselves are kept, by the caller.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast

CHUNK_BYTES = 1 << 20
HEAD_BYTES = 64 * 1024
# Our own export of the largest diary we import (1,000,000 episodes) is about 470 MB; this leaves
# room for long notes, and still refuses a video or a disk image picked by mistake.
MAX_FILE_BYTES = 2_000_000_000
MAX_LINE_CHARS = 1_000_000  # a CSV line: 17 cells and notes of at most 50,000 characters
MAX_JSON_VALUE_CHARS = 16_000_000  # one episode is a few hundred characters


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why and what to do."""


def megabytes(size: int) -> str:
    """Decimal megabytes, as file managers show them ("100 MB" is 100,000,000 bytes)."""
    return f"{size / 1_000_000:,.0f} MB" if size >= 1_000_000 else f"{size:,} bytes"


def too_big(name: str) -> ImportFileError:
    return ImportFileError(
        f"{name} is larger than {megabytes(MAX_FILE_BYTES)}, more than Cramp Tracker imports at "
        "once. Is it the right file? If it is, split it into smaller files (or export shorter "
        "periods) and import them one after the other."
    )


class ImportSource:
    """A file to import, by path (read in pieces each time it is needed) or as bytes."""

    def __init__(self, name: str, opener: Callable[[], BinaryIO], size: int):
        self.name = name  # the file's name, as shown to people
        self._open = opener
        self.size = size
        self.encoding = "utf-8-sig"  # decided from the first bytes by check_head
        self.bytes_read = 0  # by the latest text_chunks, for progress

    @property
    def encoding_note(self) -> str:
        """How the text was read, when that is not the usual UTF-8 (for the preview)."""
        return {
            "cp1252": "Read as Windows-1252 (the file is not UTF-8).",
            "utf-16": ("Read as UTF-16 (Unicode text)."),
        }.get(self.encoding, "")

    @classmethod
    def from_path(cls, path: str | os.PathLike[str]) -> ImportSource:
        path = Path(path)
        try:
            if path.is_dir():
                raise ImportFileError(f"'{path}' is a folder; choose a CSV or JSON file.")
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):  # a pipe or a device would never end
                raise ImportFileError(
                    f"'{path}' is not a regular file (it is a device or a pipe); choose a CSV "
                    "or JSON file."
                )
            size = info.st_size
            with open(path, "rb"):
                pass
        except OSError as exc:
            raise ImportFileError(f"Cannot read '{path}': {exc.strerror or exc}.") from None
        if size > MAX_FILE_BYTES:
            raise too_big(f"'{path.name}'")
        return cls(path.name, lambda: open(path, "rb"), size)  # noqa: SIM115

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "the file") -> ImportSource:
        if len(data) > MAX_FILE_BYTES:
            raise too_big(f"'{name}'")
        return cls(name, lambda: io.BytesIO(data), len(data))

    def head(self, size: int = HEAD_BYTES) -> bytes:
        try:
            with self._open() as fh:
                return fh.read(size)
        except OSError as exc:
            raise ImportFileError(f"Cannot read '{self.name}': {exc.strerror or exc}.") from None

    def check_head(self) -> None:
        """Refuse what is clearly not a text file, from its first bytes, and decide its encoding.

        UTF-8 (with or without a BOM), UTF-16 with a BOM (Excel's "Unicode text"), and, when
        the first bytes are not UTF-8, Windows-1252 (older Windows spreadsheet programs).
        """
        name = f"'{self.name}'"
        data = self.head()
        if not data.strip() and self.size <= len(data):
            raise ImportFileError(f"{name} is empty: there is nothing to import.")
        if data.startswith(b"SQLite format 3"):
            raise ImportFileError(
                f"{name} is a database file, not an export. To bring back a backup, use "
                "Restore from backup instead of Import."
            )
        if data.startswith(b"PK\x03\x04"):
            raise ImportFileError(
                f"{name} is a compressed file such as an Excel (.xlsx) or OpenDocument (.ods) "
                "spreadsheet. In your spreadsheet program, save it as CSV (UTF-8) and import that."
            )
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
            self.encoding = "utf-16"
            try:
                codecs.getincrementaldecoder("utf-16")().decode(data, final=len(data) >= self.size)
            except UnicodeDecodeError:
                raise ImportFileError(
                    f"{name} starts like UTF-16 text but cannot be read as such. In your "
                    "spreadsheet program, save it as 'CSV UTF-8' and import that."
                ) from None
            return
        head = data[:8192]
        if head.count(b"\x00") > max(2, len(head) // 100):  # text may hold a stray NUL
            raise ImportFileError(
                f"{name} is a binary file, not CSV or JSON text. Export your data as CSV (UTF-8) "
                "or JSON and import that."
            )
        self.encoding = "utf-8-sig"
        try:  # a bad byte near the start is named before anything else is said about the file
            codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=len(data) >= self.size)
        except UnicodeDecodeError as exc:
            # Not UTF-8: most such files come from Windows spreadsheet programs (Windows-1252).
            try:
                data.decode("cp1252")
            except UnicodeDecodeError:
                raise self._not_utf8(exc, 0) from None
            self.encoding = "cp1252"

    def _not_utf8(self, exc: UnicodeDecodeError, newlines_before: int) -> ImportFileError:
        line = newlines_before + exc.object[: exc.start].count(b"\n") + 1
        return ImportFileError(
            f"'{self.name}' is not UTF-8 text (unexpected byte 0x{exc.object[exc.start]:02x} on "
            f"line {line}). In your spreadsheet program, save it as 'CSV UTF-8' and import that."
        )

    def head_text(self) -> str:
        """The first part of the text (for showing the first rows); bad bytes are replaced."""
        data = self.head()
        if self.encoding == "utf-16" and len(data) % 2:
            data = data[:-1]
        return data.decode(self.encoding, errors="replace")

    def text_chunks(self) -> Iterator[str]:
        """The whole text, a piece at a time; a byte that cannot be read stops it with its line."""
        decoder = codecs.getincrementaldecoder(self.encoding)()
        newlines = total = 0
        try:
            with self._open() as fh:
                while True:
                    data = fh.read(CHUNK_BYTES)
                    total += len(data)
                    self.bytes_read = total
                    if total > MAX_FILE_BYTES:  # it grew since it was chosen
                        raise too_big(f"'{self.name}'")
                    try:
                        text = decoder.decode(data, final=not data)
                    except UnicodeDecodeError as exc:
                        raise self._not_utf8(exc, newlines) from None
                    newlines += data.count(b"\n") // (2 if self.encoding == "utf-16" else 1)
                    if text:
                        yield text
                    if not data:
                        return
        except OSError as exc:
            raise ImportFileError(
                f"Cannot read '{self.name}' to the end: {exc.strerror or exc}."
            ) from None

    def has_more_lines_than(self, limit: int) -> bool:
        """Quick count of line ends (no parsing): can the file hold more than ``limit`` rows?"""
        ends = 0
        try:
            with self._open() as fh:
                while data := fh.read(CHUNK_BYTES):
                    ends += max(data.count(b"\n"), data.count(b"\r"))
                    if ends > limit:
                        return True
        except OSError as exc:
            raise ImportFileError(f"Cannot read '{self.name}': {exc.strerror or exc}.") from None
        return False


# --------------------------------------------------------------------------- lines
_LINE_END = re.compile(r"\r\n|\r|\n")


def physical_lines(chunks: Iterator[str], name: str) -> Iterator[str]:
    """Lines with their ends (\\n, \\r\\n or \\r), as the csv module splits them."""
    rest = ""
    number = 0
    for chunk in chunks:
        text = rest + chunk if rest else chunk
        start = 0
        for match in _LINE_END.finditer(text):
            if match.end() == len(text) and match.group() == "\r":
                break  # perhaps the first half of a \r\n split between two pieces
            number += 1
            if match.start() - start > MAX_LINE_CHARS:
                raise _line_too_long(name, number)
            yield text[start : match.end()]
            start = match.end()
        rest = text[start:]
        if len(rest) > MAX_LINE_CHARS:
            raise _line_too_long(name, number + 1)
    if rest:
        yield rest


def _line_too_long(name: str, number: int) -> ImportFileError:
    return ImportFileError(
        f"'{name}', line {number}: the line is longer than {MAX_LINE_CHARS:,} characters, so "
        "this is not a table of episodes. Is it the right file?"
    )


# --------------------------------------------------------------------------- JSON
_WHITESPACE = re.compile(r"[ \t\n\r]*")


class JsonReader:
    """One JSON document read value by value, holding only a window of its text."""

    def __init__(self, chunks: Iterator[str], name: str):
        self.name = name
        self._chunks = chunks
        self._decoder = json.JSONDecoder()
        self.buf = ""
        self.pos = 0
        self._eof = False
        self._lines_before = 0  # line ends in the text dropped from the window
        self._column_before = 0  # characters after the last of them

    def _more(self, at_least: int = 1) -> bool:
        """Drop what was read and append at least ``at_least`` characters; False at the end.

        At the end the window is left as it is, so positions in it stay valid for messages.
        """
        if self._eof:
            return False
        pieces, got = [], 0
        while got < at_least:
            chunk = next(self._chunks, None)
            if chunk is None:
                self._eof = True
                break
            pieces.append(chunk)
            got += len(chunk)
        if not got:
            return False
        dropped = self.buf[: self.pos]
        ends = dropped.count("\n")
        if ends:
            self._lines_before += ends
            self._column_before = len(dropped) - dropped.rfind("\n") - 1
        else:
            self._column_before += len(dropped)
        self.buf, self.pos = "".join([self.buf[self.pos :], *pieces]), 0
        return True

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            self.pos = cast(re.Match[str], _WHITESPACE.match(self.buf, self.pos)).end()
            if self.pos < len(self.buf) or not self._more():
                return self.buf[self.pos : self.pos + 1]

    def expect(self, char: str, what: str) -> None:
        if self.peek() != char:
            raise self.error(f"Expecting {what}")
        self.pos += 1

    def value(self) -> Any:
        """The next complete value (raises ImportFileError if there is none)."""
        self.peek()
        while True:
            try:
                value, end = self._decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                pending = len(self.buf) - self.pos
                if pending >= MAX_JSON_VALUE_CHARS and not self._eof:
                    line, _ = self.position(self.pos)
                    raise ImportFileError(
                        f"'{self.name}', line {line}: one value is longer than "
                        f"{MAX_JSON_VALUE_CHARS:,} characters, so this is not a Cramp Tracker "
                        "export (an episode is a few hundred). Is it the right file?"
                    ) from None
                if self._more(max(pending, CHUNK_BYTES)):
                    continue  # the value may go on in the next piece
                raise self.error(exc.msg, exc.pos) from None
            if end == len(self.buf) and self._more():
                continue  # a number may go on in the next piece
            self.pos = end
            return value

    def array(self) -> Iterator[Any]:
        """The items of the array that starts here, one at a time."""
        self.expect("[", "'['")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            char = self.peek()
            self.pos += 1
            if char == "]":
                return
            if char != ",":
                self.pos -= 1
                raise self.error("Expecting ',' delimiter")

    def skip_value(self) -> None:
        if self.peek() == "[":
            for _ in self.array():
                pass
        else:
            self.value()

    def object_keys(self) -> Iterator[str]:
        """The keys of the object that starts here; the caller reads each value."""
        self.expect("{", "'{'")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            if self.peek() != '"':
                raise self.error("Expecting property name enclosed in double quotes")
            key = self.value()
            self.expect(":", "':' delimiter")
            yield key
            char = self.peek()
            self.pos += 1
            if char == "}":
                return
            if char != ",":
                self.pos -= 1
                raise self.error("Expecting ',' delimiter")

    def expect_end(self) -> None:
        if self.peek():
            raise self.error("Extra data")

    def position(self, pos: int) -> tuple[int, int]:
        """Line and column (from 1) in the whole text of a position in the window."""
        ends = self.buf.count("\n", 0, pos)
        if ends:
            return self._lines_before + ends + 1, pos - self.buf.rfind("\n", 0, pos)
        return self._lines_before + 1, self._column_before + pos + 1

    def error(self, message: str, pos: int | None = None) -> ImportFileError:
        line, column = self.position(self.pos if pos is None else pos)
        return ImportFileError(
            f"'{self.name}' is not valid JSON (line {line}, column {column}: {message})."
        )
