"""The summary's check-in section: factor table, medicine timeline with before/after, sleep."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from tests.factories import TZ, make_episode
from tracker.diary.checkin import CheckIn, Medicine
from tracker.diary.demo_checkins import MEDICINE_NAME, SUPPLEMENT_NAME, generate_diary
from tracker.diary.periods import Period
from tracker.report.checkin_html import factor_result
from tracker.report.data import SECTIONS, ReportRequest, build_report
from tracker.report.html_summary import summary_html

UNTIL = date(2026, 1, 1)
YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def demo_store(store):
    diary = generate_diary(730, seed=1, until=UNTIL)
    store.add_episodes(diary.episodes)
    store.add_checkins(diary.checkins, today=UNTIL)
    for medicine in diary.medicines:
        store.add_medicine(medicine, today=UNTIL)
    return store


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_factor_table_finds_the_built_in_effects_and_words_them_as_association(demo_store):
    data = build_report(demo_store, ReportRequest(YEAR, UNTIL))
    section = data.checkins
    assert section is not None and section.factors is not None
    assert section.checkin_days == len(demo_store.checkins_between(YEAR.first, YEAR.last))
    fluids = section.factors.get("low_fluids", "following_night")
    exercise = section.factors.get("hard_exercise", "same_day")
    assert fluids.clear and exercise.clear
    stress = section.factors.get("high_stress", "following_night")
    assert not stress.clear
    text = _text(summary_html(data))
    assert "Daily check-ins, medicines and sleep" in text
    assert "associations in this diary, not causes" in text
    c = fluids.comparison
    assert f"{c.rate_ratio:.2f} ({c.low:.2f}-{c.high:.2f}), clear" in text
    assert f"Holm's correction for the {section.factors.tests} comparisons" in text.replace(
        "&#x27;", "'"
    )


def test_medicine_timeline_and_before_after_with_its_source(demo_store):
    data = build_report(demo_store, ReportRequest(YEAR, UNTIL))
    section = data.checkins
    names = [line.medicine.name for line in section.medicines]
    assert names == [MEDICINE_NAME]  # the supplement was stopped in 2024
    (change,) = section.changes
    assert change.event == "started" and change.comparison is not None and change.clear
    text = _text(summary_html(data))
    assert "still taken" in text and "1 a day" in text
    assert "talk to your doctor or pharmacist before changing anything" in text
    assert "Source: " in text and section.change_source in text.replace("&quot;", '"')
    whole = build_report(demo_store, ReportRequest(Period(date(2024, 1, 2), YEAR.last), UNTIL))
    assert SUPPLEMENT_NAME in [m.medicine.name for m in whole.checkins.medicines]


def test_sleep_disturbance_average_and_range_from_checkins_and_episodes(store):
    for day, value in ((1, 2), (2, 7), (3, None), (4, 3)):
        store.save_checkin(
            CheckIn(date(2025, 3, day), sleep_disturbance=value, fluids="usual"), today=UNTIL
        )
    for hour, value in ((1, 4), (2, 9)):
        store.add_episode(
            make_episode(
                started_at=datetime(2025, 3, 5, hour, 0, tzinfo=TZ), sleep_disturbance=value
            )
        )
    data = build_report(store, ReportRequest(Period(date(2025, 3, 1), date(2025, 3, 31)), UNTIL))
    sleep = data.checkins.sleep_checkins
    assert (sleep.count, sleep.low, sleep.high) == (3, 2, 7) and sleep.mean == pytest.approx(4)
    episodes = data.checkins.sleep_episodes
    assert (episodes.count, episodes.low, episodes.high, episodes.mean) == (2, 4, 9, 6.5)
    text = _text(summary_html(data))
    assert "average 4, range 2-7 (3 nights rated)" in text
    assert "average 6.5, range 4-9 (2 episodes rated)" in text


def test_few_checkins_say_how_many_more_are_needed(store):
    for day in range(1, 6):
        store.save_checkin(
            CheckIn(date(2025, 3, day), fluids="less" if day % 2 else "usual"), today=UNTIL
        )
    store.add_episodes(
        make_episode(started_at=datetime(2025, 3, day, 10, 0, tzinfo=TZ)) for day in range(1, 6)
    )
    data = build_report(store, ReportRequest(Period(date(2025, 3, 1), date(2025, 3, 31)), UNTIL))
    insight = data.checkins.factors.get("low_fluids", "same_day")
    assert not insight.shown
    text = _text(summary_html(data))
    assert insight.needs_checkins is not None and insight.needs_checkins > 0
    assert f"needs {insight.needs_checkins:,} more check-ins" in text
    assert factor_result(insight) in text


def test_no_checkins_no_medicines_no_section(store):
    store.add_episode(make_episode(started_at=datetime(2025, 3, 2, 3, 0, tzinfo=TZ)))
    data = build_report(store, ReportRequest(Period(date(2025, 3, 1), date(2025, 3, 31)), UNTIL))
    assert data.checkins is not None and data.checkins.empty
    assert "Daily check-ins" not in summary_html(data)


def test_the_section_can_be_left_out(demo_store):
    sections = frozenset(SECTIONS) - {"checkins"}
    data = build_report(demo_store, ReportRequest(YEAR, UNTIL, sections=sections))
    assert data.checkins is None and "Daily check-ins" not in summary_html(data)


def test_medicine_names_are_typed_text_escaped(store):
    store.add_medicine(Medicine('<img src="x">', "supplement", date(2025, 2, 1)), today=UNTIL)
    data = build_report(store, ReportRequest(Period(date(2025, 3, 1), date(2025, 3, 31)), UNTIL))
    html = summary_html(data)
    assert "&lt;img src=&quot;x&quot;&gt;" in html and "<img src=" not in html.split("chart-")[0]
