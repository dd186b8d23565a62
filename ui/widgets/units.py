"""The fluid unit every window shows and takes amounts in (Edit > Preferences > Units).

The diary stores millilitres; this module holds the person's choice for the open diary
(ui/shell/preferences.py sets it from the diary's settings) and turns amounts into text.
"""

from __future__ import annotations

from tracker.diary import units


class _Choice:
    unit = units.ML


_choice = _Choice()


def fluid_unit() -> str:
    return _choice.unit


def set_fluid_unit(unit: str) -> None:
    _choice.unit = units.unit_or_default(unit)


def fluid_text(ml: int) -> str:
    """An amount as the person reads it: '500 ml' or '17 fl oz'."""
    return units.fluid_text(ml, _choice.unit)


def unit_label() -> str:
    """The short unit name for a field: 'ml' or 'fl oz'."""
    return "fl oz" if _choice.unit == units.FL_OZ else "ml"


def ml_per_unit() -> float:
    return units.ML_PER_FL_OZ if _choice.unit == units.FL_OZ else 1.0
