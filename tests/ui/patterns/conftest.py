"""The Patterns page over a small diary, shared by the page's tests."""

import pytest

from tests.ui.patterns.test_patterns_page import TODAY, fill
from ui.patterns.page import PatternsPage


@pytest.fixture
def page(qtbot, store):
    fill(store, [1, 2, 3, 5, 8, 13, 21, 40, 60, 200], footwear="athletic", footwear_tight=True)
    widget = PatternsPage(store, today=lambda: TODAY, precompute=False)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    with qtbot.waitSignal(widget.refreshed, timeout=10_000):
        widget.show()
    return widget
