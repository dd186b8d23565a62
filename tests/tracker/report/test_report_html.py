"""The summary's HTML escapes everything a person typed and leaves out what was not asked for."""

from datetime import date, datetime
from html import escape

import pytest

from tests.factories import make_episode
from tests.tracker.report.test_report_data import IN_PERIOD, PERIOD, TZ
from tracker.advice.profile import Profile, save_profile
from tracker.analysis.aggregates import Period
from tracker.report.data import SECTIONS, ReportRequest, build_report
from tracker.report.html_summary import chart_images, summary_html

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
    # name, birth date, questions, conditions, medicines, and the doctor reason quoting the
    # condition typed in the profile
    assert html.count(escaped) == 6
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


def _text(html: str) -> str:
    """The HTML's text, tags dropped (enough for our own simple markup)."""
    import re
    from html import unescape

    return unescape(re.sub(r"<[^>]+>", "", html))


def test_every_doctor_reason_is_listed_with_its_dates(diary):
    text = _text(summary_html(build_report(diary, ReportRequest(PERIOD, date(2026, 3, 20))), {}))
    for line in (
        "Numb feet: 2026-03-03 to 2026-03-10.",
        "Swollen or discoloured feet: 2026-03-10.",
        "Especially intense cramp: 2026-03-03 to 2026-03-10.",
        "Cramps on 3 days within a week: 2026-03-02 to 2026-03-05.",
        "A known medical condition: 2026-03-02 to 2026-03-14. Your profile mentions the "
        "condition you noted: " + HOSTILE,
    ):
        assert line in text, line
    assert "None of the app's reasons" not in text


def test_no_doctor_reason_is_said_plainly(store):
    store.add_episode(make_episode(started_at=datetime(2026, 3, 3, 12, tzinfo=TZ), severity=2))
    html = summary_html(build_report(store, ReportRequest(PERIOD, date(2026, 3, 20))), {})
    assert "None of the app's reasons to see a doctor applied in this period." in html


def test_a_condition_typed_right_to_left_is_isolated_in_the_reason(store):
    store.add_episode(make_episode(started_at=datetime(2026, 3, 3, 12, tzinfo=TZ), severity=2))
    save_profile(store, Profile(other_conditions="\u05e1\u05d5\u05db\u05e8\u05ea \u202eevil"))
    html = summary_html(build_report(store, ReportRequest(PERIOD, date(2026, 3, 20))), {})
    assert "\u202e" not in html
    assert "\u2068Your profile mentions the condition you noted: \u05e1" in html


def test_empty_period_still_lists_a_reason_from_just_before_it(store):
    store.add_episode(make_episode(started_at=datetime(2026, 2, 27, 12, tzinfo=TZ),
                                   warning_signs=("numbness",)))  # fmt: skip
    html = summary_html(build_report(store, ReportRequest(PERIOD, date(2026, 3, 20))), {})
    assert "No episodes in this period" in html
    assert "Numb feet:</b> 2026-02-27." in html


def test_empty_period_says_so(diary):
    data = build_report(diary, ReportRequest(PERIOD.before(), date(2026, 3, 20)))
    html = summary_html(data, chart_images(data))
    assert "No episodes in this period" in html
    assert "At a glance" not in html and "chart-" not in html


def test_not_recorded_and_approximate_are_stated(store):
    from tests.tracker.report.test_report_data import PARTIAL

    for episode in PARTIAL:
        store.add_episode(episode, now=datetime(2026, 3, 20, tzinfo=TZ))
    html = summary_html(build_report(store, ReportRequest(PERIOD, date(2026, 3, 20))), {})
    for text in (
        "Barefoot: 3 of 3 recorded (100%); 2 not recorded",
        "Asleep or in bed: 2 of 3 recorded (67%); 2 not recorded",
        "Tight or ill-fitting: 1 of 4 recorded (25%); 1 not recorded",
        "median severity (0-10 scale), of 3 rated; 2 not rated",
        "severe episodes (7-10 of 10), of 3 rated; 2 not rated",
        "1 start time was given as approximate (marked ≈ in the episode table).",
    ):
        assert escape(text) in html, text


def test_where_the_cramps_were_is_a_table_of_sites_and_sides(store):
    from tests.tracker.report.test_report_data import PARTIAL

    for episode in PARTIAL:
        store.add_episode(episode, now=datetime(2026, 3, 20, tzinfo=TZ))
    data = build_report(store, ReportRequest(PERIOD, date(2026, 3, 20)))
    html = summary_html(data, {})
    where = html[html.index("<h2>Where the cramps were</h2>") :]
    where = _text(where[: where.index("</table>")])
    assert "SiteLeftRightBothSide not recordedAll" in where
    for row in data.where:  # every site with its counts, in columns
        assert row.label + "".join(str(n) for n in (*row.by_side, row.total)) in where
    assert "Site not recorded" in where


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


# ----------------------------------------------------------------- plain numbers, exact appendix
def _page_one_and_appendix(html: str) -> tuple[str, str]:
    head, found, appendix = html.partition("<h2>Statistics note</h2>")
    assert found, "the summary ends with a statistics note"
    return head, appendix


def test_page_one_says_chance_in_words_and_the_appendix_has_the_figures(store):
    from tests.tracker.report.test_report_data import OUTSIDE

    for episode in IN_PERIOD + OUTSIDE:  # 5 in the period, 2 in the 14 days before it
        store.add_episode(episode, now=datetime(2026, 3, 20, tzinfo=TZ))
    html = summary_html(build_report(store, ReportRequest(PERIOD, date(2026, 3, 20))), {})
    page_one, appendix = _page_one_and_appendix(html)
    assert (
        "More than in the previous 14 days (2): a difference that could easily be chance "
        "(exact figures under \u201cStatistics note\u201d below)."
    ) in page_one
    assert "p = " not in page_one and "p &lt; " not in page_one
    assert "rate ratio" not in page_one.lower() and "confidence" not in page_one
    assert "5 episodes in this period (14 days) against 2 in the 14 days before it" in appendix
    assert "15 Feb 2026 to 28 Feb 2026" in appendix
    assert "Rate ratio" in appendix and "<td>2.5</td>" in appendix
    assert "95% confidence interval of the rate ratio" in appendix
    assert "<td>p = 0.453</td>" in appendix  # R: poisson.test(c(5, 2), c(14, 14))
    assert "poisson.test" in appendix


def test_a_clear_rise_is_called_unlikely_to_be_chance(store):
    now = datetime(2026, 3, 20, tzinfo=TZ)
    for day in range(1, 13):
        store.add_episode(make_episode(started_at=datetime(2026, 3, day, 12, tzinfo=TZ)), now=now)
    store.add_episode(make_episode(started_at=datetime(2026, 2, 20, 12, tzinfo=TZ)), now=now)
    html = summary_html(build_report(store, ReportRequest(PERIOD, date(2026, 3, 20))), {})
    page_one, appendix = _page_one_and_appendix(html)
    assert "a difference unlikely to be chance alone" in page_one and "p = " not in page_one
    assert "<td>12</td>" in appendix and "<td>p = 0.003</td>" in appendix


def test_no_earlier_episodes_gives_an_open_ended_ratio(diary):
    html = summary_html(build_report(diary, ReportRequest(PERIOD, date(2026, 3, 20))), {})
    page_one, appendix = _page_one_and_appendix(html)
    assert "could easily be chance" in page_one and "p = " not in page_one
    assert "not defined (no episodes in the previous period)" in appendix
    assert "to no upper limit" in appendix and "<td>p = 0.063</td>" in appendix


def test_no_statistics_note_without_a_comparison(diary):
    empty = build_report(diary, ReportRequest(PERIOD.before(), date(2026, 3, 20)))
    assert "Statistics note" not in summary_html(empty, {})
    all_dates = build_report(diary, ReportRequest(Period(), date(2026, 3, 20)))
    assert all_dates.comparison is None
    html = summary_html(all_dates, {})
    assert "Statistics note" not in html and "p = " not in html
