"""The diary's preferences: what they are, where they are kept, and putting them in force.

Kept in the diary's settings (they describe the diary's numbers and dates, and travel with it):
the fluid unit, 12/24-hour time, the first day of the week. Applied before the window is built
(the history's first rows show them), so this module stays light: this computer's preferences
(reminders, tray) are in computer_preferences.py, appearance in appearance.py, and start at
login is the autostart file itself (autostart.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.diary import units
from tracker.store import Store
from ui.widgets import dates
from ui.widgets import units as fluid_units

# The diary's settings.
FLUID_UNIT_KEY = units.SETTING_KEY
HOUR_FORMAT_KEY = "prefs.hour_format"  # "region", "12", "24"
FIRST_DAY_KEY = "prefs.first_day_of_week"  # "0" (the region's), "1" Monday ... "7" Sunday


@dataclass(frozen=True)
class DiaryPreferences:
    fluid_unit: str = units.ML
    hour_format: str = dates.REGION
    first_day: int = 0

    @classmethod
    def read(cls, store: Store) -> DiaryPreferences:
        hour = store.get_setting(HOUR_FORMAT_KEY)
        try:
            day = int(store.get_setting(FIRST_DAY_KEY) or 0)
        except ValueError:
            day = 0
        return cls(
            fluid_unit=units.unit_or_default(store.get_setting(FLUID_UNIT_KEY)),
            hour_format=hour if hour in dates.HOUR_FORMATS else dates.REGION,
            first_day=day if 0 <= day <= 7 else 0,
        )

    def write(self, store: Store) -> None:
        """In one transaction; the defaults are removed rather than stored."""
        store.set_settings(
            {
                FLUID_UNIT_KEY: None if self.fluid_unit == units.ML else self.fluid_unit,
                HOUR_FORMAT_KEY: None if self.hour_format == dates.REGION else self.hour_format,
                FIRST_DAY_KEY: str(self.first_day) if self.first_day else None,
            }
        )

    def apply(self) -> None:
        """Every window follows from now on (forms as they open, tables as they repaint)."""
        fluid_units.set_fluid_unit(self.fluid_unit)
        dates.set_hour_format(self.hour_format)
        if self.first_day != dates.chosen_first_day():
            dates.set_first_day_of_week(self.first_day)


def apply_diary_preferences(store: Store) -> DiaryPreferences:
    prefs = DiaryPreferences.read(store)
    prefs.apply()
    return prefs
