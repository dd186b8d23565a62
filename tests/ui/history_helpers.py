"""Episodes and keys shared by the history tests: varied values, with gaps in every field."""

import re
from datetime import datetime, timedelta

from PySide6.QtCore import QLocale

from tests.factories import TZ
from tracker.diary.episode import Episode
from ui.history.model import APPROXIMATE_MARK
from ui.widgets.dates import short_date_format

_SIDES = ["left", "right", "both", None]
_SITES = [("calf",), ("big_toe", "sole"), (), ("ankle",), ("toes",), ("sole", "calf")]
_SEVERITIES = [None, 0, 5, 9, 3, 7]
_ACTIVITIES = [None, "walking", "in_bed", "driving", "resting"]
_FOOTWEAR = ["high_heels", None, "barefoot", "boots"]
_HYDRATION = ["well", "under", None, "normal"]
_RELIEF = [(), ("stretching",), ("massage", "heat"), ("walking",)]
_CONTEXT = [("cold",), (), ("stress", "alcohol"), ("alcohol",)]
_WARNINGS = [(), ("numbness",), ("swelling", "numbness"), ("hard_to_walk",), ()]
_NOTES = ["", "apple pie", "Banana", "cherry walk", "zoo", "Walnut"]
_DURATIONS = [30, 90, 601, 600, 1200, 45]


def varied_episodes(count=12, now=None):
    """``count`` episodes five hours apart, newest first, ending an hour before ``now``."""
    now = now or datetime.now(TZ).replace(second=0, microsecond=0)
    episodes = []
    for i in range(count):
        relief = _RELIEF[i % len(_RELIEF)]
        hydration = _HYDRATION[i % len(_HYDRATION)]
        episodes.append(
            Episode(
                started_at=now - timedelta(hours=1 + 5 * i),
                duration_s=_DURATIONS[i % len(_DURATIONS)],
                side=_SIDES[i % len(_SIDES)],
                site=_SITES[i % len(_SITES)],
                severity=_SEVERITIES[i % len(_SEVERITIES)],
                activity=_ACTIVITIES[i % len(_ACTIVITIES)],
                footwear=_FOOTWEAR[i % len(_FOOTWEAR)],
                footwear_tight=i % 4 == 0,
                hydration=hydration,
                fluid_ml=250 * i if hydration else None,
                relief=relief,
                relief_effect=("yes", "partly", "no")[i % 3] if relief else None,
                context=_CONTEXT[i % len(_CONTEXT)],
                warning_signs=_WARNINGS[i % len(_WARNINGS)],
                notes=_NOTES[i % len(_NOTES)],
                time_approximate=i == 2,
            )
        )
    return episodes


def fill_varied(store, count=12):
    return [store.add_episode(e) for e in varied_episodes(count)]


_OFFSET = re.compile(r" \(UTC[^)]*\)$")
_EFFECT = re.compile(r" \((helped|partly helped|did not help)\)$")


def display_sort_key(key, text, episode):
    """What a person reading the column expects it to be sorted by, from the cell's text."""
    if key == "started_at":  # the clock time where it was logged, then any "(UTC+01:00)"
        text = _OFFSET.sub("", text.replace(f"{APPROXIMATE_MARK} ", ""))
        locale = QLocale()  # the cell is in the locale's short form (ui/widgets/dates.py)
        shown = f"{short_date_format(locale)}, {locale.timeFormat(QLocale.FormatType.ShortFormat)}"
        value = locale.toDateTime(text, shown)
        assert value.isValid(), text
        return value.toPython()
    if key == "duration_s":
        return episode.duration_s  # the text ("1 min 15 s") is checked elsewhere
    if key == "severity":
        return int(text.split(" / ")[0])
    if key == "footwear":
        return text.removesuffix(" (tight)").casefold()
    if key == "relief":
        return _EFFECT.sub("", text).split(", ")[0].casefold()
    if key in ("site", "context", "warning_signs", "hydration"):
        return text.split(", ")[0].casefold()  # lists sort by their first choice
    return text.casefold()
