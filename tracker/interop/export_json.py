"""JSON export: one document with a format version and every field, ids and timestamps included.

This is the lossless format for moving a whole diary to another computer. It is written one
episode at a time, so 100,000 episodes never sit in memory as one big string.

Format versions: 1 (the first release) always had every field filled in and no
``time_approximate``. 2 writes ``null`` for a field the person did not record (an empty list for
the lists) and ``time_approximate``; an older Cramp Tracker, which would reject the nulls, says
"update to import it" instead of refusing row after row. Import reads both. Each episode also
carries its stable ``uid`` (schema 4); an added key, so the format version stays 2.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from tracker.diary.episode import FIELDS, Episode
from tracker.store.migrations import LATEST_VERSION

FORMAT_NAME = "cramp-tracker-episodes"
FORMAT_VERSION = 2


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


def write_json(episodes: Iterable[Episode], out: TextIO) -> int:
    """Write the document; return how many episodes it holds."""
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
    count = 0
    for episode in episodes:
        out.write(",\n    " if count else "\n    ")
        out.write(json.dumps(episode_to_dict(episode), ensure_ascii=False))
        count += 1
    out.write("\n  ]\n}\n" if count else "]\n}\n")
    return count
