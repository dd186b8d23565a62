"""What the fast export writers share: which stored column each field is, and a memo for the
conversions of the few distinct values a code or list column holds.

A 1,000,000-episode export cannot afford an Episode and a dozen Python calls per row; the
writers of export_csv and export_json convert the stored rows (tracker.store.EPISODE_COLUMNS)
by a plan made once: only the columns whose kind needs a conversion are touched, and a code,
a list of codes or a flag is converted once per distinct value and then looked up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tracker.diary.episode import FIELDS
from tracker.store import EPISODE_COLUMNS

MEMO_LIMIT = 10_000  # distinct values remembered per column (codes and lists: a few hundred)

# The stored row starts with the id and the declared fields in order; the writers rely on it.
FIELD_COLUMNS = ("id", *(spec.name for spec in FIELDS))
if EPISODE_COLUMNS[: len(FIELD_COLUMNS)] != FIELD_COLUMNS:  # pragma: no cover - a wrong edit
    raise RuntimeError("tracker.store.EPISODE_COLUMNS must start with the id and FIELDS")
UID_COLUMN = EPISODE_COLUMNS.index("uid")


class Memo(dict[Any, Any]):
    """``memo[value]`` is ``convert(value)``, computed once per distinct value of ``kinds``
    (and None). Values of other types are converted every time, never remembered: 1 and 1.0
    are equal keys but ``str`` makes different text of them."""

    def __init__(self, convert: Callable[[Any], Any], *kinds: type) -> None:
        super().__init__()
        self.convert = convert
        self.kinds = kinds or (str,)

    def __missing__(self, key: Any) -> Any:
        value = self.convert(key)
        if (key is None or type(key) in self.kinds) and len(self) < MEMO_LIMIT:
            self[key] = value
        return value


def column_plan(
    by_kind: Mapping[str, Callable[[Any], Any]],
) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
    """(stored column index, conversion) for each field whose kind ``by_kind`` converts."""
    return tuple(
        (EPISODE_COLUMNS.index(spec.name), by_kind[spec.kind])
        for spec in FIELDS
        if spec.kind in by_kind
    )
