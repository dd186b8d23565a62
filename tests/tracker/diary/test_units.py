"""Fluid units: stored millilitres shown and typed in fl oz."""

import pytest

from tracker.diary.units import FL_OZ, ML, fl_oz_to_ml, fluid_text, ml_to_fl_oz, unit_or_default


def test_conversion_both_ways():
    assert fl_oz_to_ml(1) == 30
    assert fl_oz_to_ml(16) == 473
    assert fl_oz_to_ml(33.814) == 1000
    assert ml_to_fl_oz(1000) == pytest.approx(33.814, abs=0.001)


@pytest.mark.parametrize(
    ("ml", "unit", "text"),
    [
        (500, ML, "500 ml"),
        (500, FL_OZ, "17 fl oz"),
        (1000, FL_OZ, "34 fl oz"),
        (125, FL_OZ, "4.2 fl oz"),
        (59, FL_OZ, "2 fl oz"),
        (0, FL_OZ, "0 fl oz"),
    ],
)
def test_fluid_text(ml, unit, text):
    assert fluid_text(ml, unit) == text


def test_unknown_unit_falls_back_to_ml():
    assert unit_or_default("gallons") == ML
    assert unit_or_default(None) == ML
    assert unit_or_default(FL_OZ) == FL_OZ
