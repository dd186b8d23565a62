"""JSON export: one document with a format version and every field, ids and timestamps included.

This is the lossless format for moving a whole diary to another computer. It is written one
episode at a time, so 100,000 episodes never sit in memory as one big string.

Format versions: 1 (the first release) always had every field filled in and no
``time_approximate``. 2 writes ``null`` for a field the person did not record (an empty list for
the lists) and ``time_approximate``; an older Cramp Tracker, which would reject the nulls, says
"update to import it" instead of refusing row after row. Import reads both. Each episode also
carries its stable ``uid`` (schema 4); an added key, so the format version stays 2.

Format 3 (schema 6) adds, after ``episodes``, ``checkins`` (each day's check-in: ``day``
'YYYY-MM-DD', every answer as its stored code or ``null`` for "not recorded", ``night_cramps``,
``sleep_disturbance`` 0-10 or ``null``, ``notes``) and ``medicines`` (``name``, ``kind``
medicine/supplement, ``started_on``, ``stopped_on`` or ``null`` while taken, ``dose``): see
tracker.interop.checkin_io. Both lists are always there, empty when there is nothing; a
period keeps the check-ins of its days and the medicines taken on any of them. Import reads
formats 1 to 3 (1 and 2 simply have no check-ins).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

from tracker.diary.checkin import CheckIn, Medicine
from tracker.diary.episode import FIELDS, Episode
from tracker.diary.vocab import split_multi
from tracker.interop.checkin_io import checkin_item, medicine_item
from tracker.interop.export_plan import Memo, column_plan
from tracker.store import EPISODE_COLUMNS
from tracker.store.migrations import LATEST_VERSION

FORMAT_NAME = "cramp-tracker-episodes"
FORMAT_VERSION = 3


# How each kind of field is written: the start as ISO 8601 text, lists as JSON arrays, the rest
# as they are (None is null: "not recorded").
_VALUE: dict[str, Callable[[Any], object]] = {
    "datetime": lambda value: value.isoformat(),
    "multi": list,
}
_VALUES = tuple((spec.name, _VALUE.get(spec.kind)) for spec in FIELDS)


def episode_to_dict(episode: Episode) -> dict[str, object]:
    item: dict[str, object] = {"id": episode.id}
    for name, convert in _VALUES:
        value = getattr(episode, name)
        item[name] = convert(value) if convert else value
    item["created_at"] = episode.created_at
    item["updated_at"] = episode.updated_at
    item["uid"] = episode.uid
    return item


def _write_header(out: TextIO) -> None:
    header = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "schema_version": LATEST_VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    out.write("{\n")
    for key, value in header.items():
        out.write(f"  {json.dumps(key)}: {json.dumps(value)},\n")
    out.write('  "episodes": [')


def _write_end(
    out: TextIO,
    count: int,
    checkins: Iterable[CheckIn] = (),
    medicines: Iterable[Medicine] = (),
) -> None:
    """Close the episodes, then the check-ins and medicines (format 3), then the document."""
    out.write("\n  ]" if count else "]")
    for key, items in (
        ("checkins", (checkin_item(c) for c in checkins)),
        ("medicines", (medicine_item(m) for m in medicines)),
    ):
        texts = [_ENCODE(item) for item in items]
        body = "\n    " + _SEPARATOR.join(texts) + "\n  " if texts else ""
        out.write(f',\n  "{key}": [{body}]')
    out.write("\n}\n")


# One encoder for every episode: json.dumps(..., ensure_ascii=False) would build a new one each
# call. The same settings, so the same text.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def _fast_encoder() -> Callable[[Any], str]:
    """``_ENCODE`` without the Python layers it goes through for each call: the C encoder
    json.dumps itself uses, made once. Falls back to ``_ENCODE`` where there is no C encoder
    or it would write anything different."""
    from json import encoder

    settings = json.JSONEncoder(ensure_ascii=False)
    make = getattr(encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython always has it
        return _ENCODE
    try:
        chunks = make(
            {},  # json.dumps checks for circular references: so does this
            settings.default,
            encoder.encode_basestring,
            None,
            settings.key_separator,
            settings.item_separator,
            False,
            False,
            True,
        )
    except TypeError:  # pragma: no cover - another Python's private signature
        return _ENCODE

    def encode(value: Any) -> str:
        return "".join(chunks(value, 0))

    sample = {"a": [1, 2.5, None, True], "b": 'naïve "q"\n\u2028', "c": ()}
    return encode if encode(sample) == _ENCODE(sample) else _ENCODE


_ENCODE_FAST = _fast_encoder()
_SEPARATOR = ",\n    "


def write_json(
    episodes: Iterable[Episode],
    out: TextIO,
    checkins: Iterable[CheckIn] = (),
    medicines: Iterable[Medicine] = (),
) -> int:
    """Write the document; return how many episodes it holds."""
    _write_header(out)
    count = 0
    for episode in episodes:
        out.write(_SEPARATOR if count else "\n    ")
        out.write(_ENCODE(episode_to_dict(episode)))
        count += 1
    _write_end(out, count, checkins, medicines)
    return count


# ----------------------------------------------------------------- from stored rows, in blocks
# The same document as write_json, from the stored rows (tracker.store.EPISODE_COLUMNS, in the
# order episode_to_dict writes its keys) without building an Episode.
# tests/tracker/interop/test_export_streaming.py checks that both agree byte for byte.
_ROW_PLAN = column_plan(
    {
        "datetime": lambda text: datetime.fromisoformat(text).isoformat(),
        "multi": Memo(split_multi).__getitem__,  # a tuple is written as a JSON array
        "bool": Memo(bool, int).__getitem__,
    }
)
_KEYS = EPISODE_COLUMNS
if _KEYS != ("id", *(name for name, _ in _VALUES), "created_at", "updated_at", "uid"):
    raise RuntimeError("episode_to_dict and the stored columns disagree")  # pragma: no cover


def stored_row_text(row: Sequence[Any]) -> str:
    """One episode of the document (as ``write_json`` writes it) from a stored row."""
    values = list(row)
    for index, convert in _ROW_PLAN:
        values[index] = convert(values[index])
    return _ENCODE_FAST(dict(zip(_KEYS, values, strict=True)))


def write_json_rows(
    blocks: Iterable[Sequence[Sequence[Any]]],
    out: TextIO,
    checkins: Iterable[CheckIn] = (),
    medicines: Iterable[Medicine] = (),
) -> int:
    """``write_json`` from blocks of stored rows: the same bytes, each block written at once."""
    _write_header(out)
    count = 0
    for block in blocks:
        if not block:
            continue
        out.write(_SEPARATOR if count else "\n    ")
        out.write(_SEPARATOR.join([stored_row_text(row) for row in block]))
        count += len(block)
    _write_end(out, count, checkins, medicines)
    return count
