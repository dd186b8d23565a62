"""Fluid amounts as the person chose to see them: millilitres or US fluid ounces.

The diary always stores millilitres; only what is shown and typed changes. A US fluid ounce
is 29.5735 ml. Amounts in fluid ounces are whole ounces (about 30 ml: finer than anyone
measures a drink), except under 10 fl oz, shown to a tenth.
"""

from __future__ import annotations

ML = "ml"
FL_OZ = "floz"
FLUID_UNITS = {ML: "Millilitres (ml)", FL_OZ: "US fluid ounces (fl oz)"}
ML_PER_FL_OZ = 29.5735
SETTING_KEY = "prefs.fluid_unit"  # the diary's setting (it describes the diary's numbers)


def unit_or_default(value: object) -> str:
    return value if isinstance(value, str) and value in FLUID_UNITS else ML


def ml_to_fl_oz(ml: float) -> float:
    return ml / ML_PER_FL_OZ


def fl_oz_to_ml(fl_oz: float) -> int:
    """Whole millilitres, as the diary stores them."""
    return round(fl_oz * ML_PER_FL_OZ)


def fluid_text(ml: int, unit: str) -> str:
    """'500 ml', or '16.9 fl oz' -> '17 fl oz'; '4.2 fl oz' under 10."""
    if unit != FL_OZ:
        return f"{ml} ml"
    ounces = ml_to_fl_oz(ml)
    if ounces < 10:
        return f"{ounces:.1f} fl oz".replace(".0 ", " ")
    return f"{round(ounces)} fl oz"
