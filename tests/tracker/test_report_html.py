"""The summary's HTML escapes everything a person typed and leaves out what was not asked for."""

from datetime import date, datetime
from html import escape

import pytest

from tests.factories import make_episode
from tests.tracker.test_report_data import IN_PERIOD, PERIOD, TZ
from tracker.profile import Profile, save_profile
from tracker.report_data import SECTIONS, ReportRequest, build_report
from tracker.report_html import chart_images, summary_html

HOSTILE = '<img src="file:///etc/passwd"><b>x</b>&amp;'


@pytest.fixture
def diary(store):
    for episode in IN_PERIOD:
        store.add_episode(episode, now=datetime(2026, 3, 20, tzinfo=TZ))
    save_profile(store, Profile(other_conditions=HOSTILE, medicines=HOSTILE + "\nSecond line"))
    return store


def test_typed_text_is_escaped(diary):
    request = ReportRequest(PERIOD, date(2026, 3, 20), name=HOSTILE, birth_date=HOSTILE,
                            questions=HOSTILE + "\nAnd <script>")  # fmt: skip
    html = summary_html(build_report(diary, request), {})
    assert '<img src="file' not in html and "<script>" not in html and "<b>x</b>" not in html
    escaped = "&lt;img src=&quot;file:///etc/passwd&quot;&gt;&lt;b&gt;x&lt;/b&gt;&amp;amp;"
    assert html.count(escaped) == 5  # name, birth date, questions, conditions, medicines
    assert "&lt;script&gt;" in html
    assert "Second line" in html


def test_sections_left_out_and_charts_only_when_asked(diary):
    data = build_report(diary, ReportRequest(PERIOD, date(2026, 3, 20)))
    images = chart_images(data)
    assert set(images) == {"over_time", "time_of_day"}
    assert all(png.startswith(b"\x89PNG") for png in images.values())
    full = summary_html(data, images)
    assert 'src="chart-over_time.png"' in full and "Relief tried" in full
    only = ReportRequest(PERIOD, date(2026, 3, 20), sections=frozenset({"questions"}))
    data = build_report(diary, only)
    assert chart_images(data) == {}
    html = summary_html(data, {})
    assert "At a glance" in html  # always there
    for left_out in ("Relief tried", "Warning signs", "Health profile", "chart-"):
        assert left_out not in html
    assert set(SECTIONS) > {"questions"}


def test_empty_period_says_so(diary):
    data = build_report(diary, ReportRequest(PERIOD.before(), date(2026, 3, 20)))
    html = summary_html(data, chart_images(data))
    assert "No episodes in this period" in html
    assert "At a glance" not in html and "chart-" not in html


def test_not_recorded_and_approximate_are_stated(store):
    from tests.tracker.test_report_data import PARTIAL

    for episode in PARTIAL:
        store.add_episode(episode, now=datetime(2026, 3, 20, tzinfo=TZ))
    html = summary_html(build_report(store, ReportRequest(PERIOD, date(2026, 3, 20))), {})
    for text in (
        "Barefoot: 3 of 3 recorded (100%); 2 not recorded",
        "Asleep or in bed: 2 of 3 recorded (67%); 2 not recorded",
        "Big toe: 2 of 3 recorded (67%); 2 not recorded",
        "Left: 2 of 4 recorded (50%); 1 not recorded",
        "Tight or ill-fitting: 1 of 4 recorded (25%); 1 not recorded",
        "median severity (0-10 scale), of 3 rated; 2 not rated",
        "severe episodes (7-10 of 10), of 3 rated; 2 not rated",
        "1 start time was given as approximate (marked ≈ in the episode table).",
    ):
        assert escape(text) in html, text


def test_severity_never_rated_shows_a_dash(store):
    for day in (3, 4):
        store.add_episode(
            make_episode(started_at=datetime(2026, 3, day, 12, tzinfo=TZ), severity=None)
        )
    html = summary_html(build_report(store, ReportRequest(PERIOD, date(2026, 3, 20))), {})
    assert "None / 10" not in html
    assert "median severity (0-10 scale), of 0 rated; 2 not rated" in html


def test_fully_recorded_diary_keeps_the_short_wording(diary):
    html = summary_html(build_report(diary, ReportRequest(PERIOD, date(2026, 3, 20))), {})
    assert "Asleep or in bed: 3 of 5 (60%)" in html
    assert "not recorded" not in html.replace("No relief was recorded", "")
    assert "not rated" not in html and "approximate" not in html
