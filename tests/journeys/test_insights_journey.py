"""Journey: in the example diary (check-ins with built-in effects), the Tips page's "What goes
with your cramps" shows the fewer-fluids finding with its interval and links to hydration tips;
clicking a link shows that tip in the library. Twice, with a check-in saved in between."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTabBar

from tests.journeys.driver import Journey, WaitUntil
from tests.journeys.person import CTRL, key
from tracker.diary.checkin import CheckIn
from ui.shell.example_diary import create_example

FLUIDS = "Days with fewer fluids: cramps the following night"


def _click_tab(tabs, widget) -> None:
    bar = tabs.findChild(QTabBar)
    rect = bar.tabRect(tabs.indexOf(widget))
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())


def _click_text(browser, text: str) -> None:
    """Click the middle of ``text`` in a text browser, as a person clicks a link."""
    cursor = browser.document().find(text)
    assert not cursor.isNull(), f"{text!r} is not shown"
    browser.setTextCursor(cursor)
    browser.ensureCursorVisible()
    start = cursor.selectionStart()
    cursor.setPosition(start + len(text) // 2)
    rect = browser.cursorRect(cursor)
    point = QPoint(rect.x(), rect.center().y())
    viewport = browser.viewport()
    QTest.mouseMove(viewport, point)
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def test_the_fluids_finding_links_to_a_hydration_tip(sessions):
    session = sessions()
    create_example(session.db_path).close()
    window = session.open()
    store = session.store
    journey = Journey()
    journey.add("pages built", lambda: WaitUntil(lambda: window.tips_feature is not None, "pages"))

    def page():
        return window.tips_feature.page

    def open_tips():
        for index in range(window.tabs.count()):
            if window.tabs.widget(index) is page():
                key(window, getattr(Qt.Key, f"Key_{index + 1}"), CTRL)
        assert window.tabs.currentWidget() is page()

    def open_insights():
        _click_tab(page().sections, page().insights)
        section = page().insights
        return WaitUntil(
            lambda: not section.refreshing and section.view is not None, "insights gathered"
        )

    def fluids_shown(checkins: int):
        section = page().insights
        assert section.view.checkin_days == checkins
        text = section.browser.toPlainText()
        assert FLUIDS in text, text[:400]
        insight = section.view.report.get("low_fluids", "following_night")
        assert insight.clear and insight.comparison.rate_ratio > 1
        c = insight.comparison
        assert f"95% interval {c.low:.1f} to {c.high:.1f}" in text
        assert "Clear after allowing for" in text
        assert "not that one causes the other" in text  # association, never cause
        html = section.browser.toHtml()
        assert "tip:drink-water" in html and "tip:electrolyte-drinks" in html

    def click_link(title: str):
        _click_text(page().insights.browser, title)

    def tip_shown(tip_id: str, title: str):
        p = page()
        assert p.sections.currentWidget() is p.library_view.parentWidget()
        assert p.highlighted_tip() == tip_id
        view = p.library_view
        cursor = view.document().find(title)
        assert not cursor.isNull()
        assert view.viewport().rect().contains(view.cursorRect(cursor).center()), "not in view"

    days = [0]

    def save_a_checkin():
        # As the check-in dialog would (another helper's): one more day, then the window is
        # activated again as it is when a dialog closes.
        days[0] = store.count_checkins()
        day = date.today() - timedelta(days=1)
        store.save_checkin(CheckIn(day=day, fluids="less", stretched="yes"))
        days[0] = store.count_checkins()
        window.activateWindow()
        page().insights.check_current()
        section = page().insights
        return WaitUntil(lambda: not section.refreshing, "insights gathered again")

    links = (("drink-water", "Drink enough"), ("electrolyte-drinks", "Drinks with added"))
    for round_, (tip_id, title) in enumerate(links, start=1):
        journey.add(f"Tips page ({round_})", open_tips)
        journey.add(f"What goes with your cramps ({round_})", open_insights)
        expected = [0]

        def count(expected=expected):
            expected[0] = store.count_checkins()

        journey.add(f"count check-ins ({round_})", count)
        journey.add(f"fluids shown ({round_})", lambda e=expected: fluids_shown(e[0]))
        journey.add(f"click {title} ({round_})", lambda t=title: click_link(t))
        journey.add(f"the tip is shown ({round_})", lambda i=tip_id, t=title: tip_shown(i, t))
        if round_ == 1:
            journey.add("a check-in saved", save_a_checkin)
    journey.add("close", window.close)
    journey.run()
    assert days[0] > 0
