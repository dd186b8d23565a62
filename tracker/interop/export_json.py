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
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO

from tracker.diary.episode import Episode
from tracker.store.migrations import LATEST_VERSION

FORMAT_NAME = "cramp-tracker-episodes"
FORMAT_VERSION = 2


def episode_to_dict(episode: Episode) -> dict:
    return {
        "id": episode.id,
        "started_at": episode.started_at.isoformat(),
        "duration_s": episode.duration_s,
        "side": episode.side,
        "site": list(episode.site),
        "severity": episode.severity,
        "activity": episode.activity,
        "hydration": episode.hydration,
        "fluid_ml": episode.fluid_ml,
        "footwear": episode.footwear,
        "footwear_tight": episode.footwear_tight,
        "relief": list(episode.relief),
        "relief_effect": episode.relief_effect,
        "context": list(episode.context),
        "warning_signs": list(episode.warning_signs),
        "notes": episode.notes,
        "time_approximate": episode.time_approximate,
        "created_at": episode.created_at,
        "updated_at": episode.updated_at,
        "uid": episode.uid,
    }


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
