"""The summary's HTML escapes everything a person typed and leaves out what was not asked for."""

from datetime import date, datetime

import pytest

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
