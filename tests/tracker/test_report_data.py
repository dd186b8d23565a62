"""The doctor summary's figures for a small known diary, each worked out by hand here."""

from datetime import date, datetime, timedelta, timezone
from statistics import median

import pytest

from tests.factories import make_episode
from tracker import doctor_rules
from tracker.aggregates import Period
from tracker.profile import Profile, save_profile
from tracker.report_data import (
    SECTIONS,
    TABLE_HEADERS,
    ReportRequest,
    build_report,
    iter_table_rows,
    preset_period,
)

TZ = timezone(timedelta(hours=1))
PERIOD = Period(date(2026, 3, 1), date(2026, 3, 14))  # 14 days


def at(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=TZ)


IN_PERIOD = [
    make_episode(started_at=at(2, 23, 30), duration_s=60, severity=3, activity="in_bed",
                 footwear="barefoot", hydration="well", relief=("stretching",),
                 relief_effect="yes"),
    make_episode(started_at=at(3, 2), duration_s=120, severity=7, activity="in_bed",
                 footwear="barefoot", hydration="under", relief=("stretching", "massage"),
                 relief_effect="partly", warning_signs=("numbness",), site=("calf", "sole"),
                 side="both", fluid_ml=500, context=("new_medicine",)),
    make_episode(started_at=at(5, 14), duration_s=30, severity=5, activity="walking",
                 footwear="high_heels", footwear_tight=True, hydration="normal",
                 relief=("nothing",)),
    make_episode(started_at=at(10, 5, 59), duration_s=600, severity=9, activity="in_bed",
                 footwear="socks_slippers", hydration="under", relief=("massage",),
                 relief_effect="no", warning_signs=("numbness", "swelling")),
    make_episode(started_at=at(14, 22), duration_s=45, severity=2, activity="resting",
                 footwear="barefoot", hydration="normal",
                 notes='<b>bold</b> <img src="file:///etc/passwd">'),
]  # fmt: skip
OUTSIDE = [
    make_episode(started_at=at(15, 0, 30)),  # the day after the period
    make_episode(started_at=datetime(2026, 2, 28, 23, tzinfo=TZ)),  # previous 14 days
    make_episode(started_at=datetime(2026, 2, 20, 12, tzinfo=TZ)),  # previous 14 days
    make_episode(started_at=datetime(2026, 2, 10, 12, tzinfo=TZ)),  # before both
]


@pytest.fixture
def diary(store):
    for episode in IN_PERIOD + OUTSIDE:
        store.add_episode(episode, now=datetime(2026, 3, 20, tzinfo=TZ))
    return store


def request(**kw):
    return ReportRequest(PERIOD, date(2026, 3, 20), **kw)


def test_page_one_figures(diary):
    data = build_report(diary, request())
    durations = [e.duration_s for e in IN_PERIOD]
    severities = [e.severity for e in IN_PERIOD]
    assert data.total == 5
    assert data.per_week == pytest.approx(5 / 14 * 7)
    # 23:30 on the 2nd and 02:00 on the 3rd are one night; 05:59 on the 10th is the night of
    # the 9th; 22:00 on the 14th starts a night; 14:00 is daytime.
    assert data.nights_affected == 3
    assert data.nights_in_period == 14
    assert data.median_duration_s == median(durations) == 60
    assert data.longest_duration_s == 600
    assert data.median_severity == median(severities) == 5
    assert data.highest_severity == 9
    assert data.severe_count == 2
    assert data.comparison.previous == Period(date(2026, 2, 15), date(2026, 2, 28))
    assert data.comparison.previous_count == 2
    assert data.comparison.sentence().startswith("More than in the previous 14 days (2): ")
    assert data.activity.text() == "Asleep or in bed: 3 of 5 (60%)"
    assert data.footwear.text() == "Barefoot: 3 of 5 (60%)"
    assert data.tight_count == 1
    # under-hydrated and normal tie at 2: the vocabulary's order decides
    assert data.hydration.text() == "Normal: 2 of 5 (40%)"


def test_relief_warnings_and_doctor_reasons(diary):
    data = build_report(diary, request())
    relief = {r.method: (r.tries, r.helped, r.partly, r.not_helped, r.unknown) for r in data.relief}
    assert relief == {"Stretching": (2, 1, 1, 0, 0), "Massage": (2, 0, 1, 1, 0)}
    assert data.nothing_tried == 1  # listed apart: trying nothing is not a relief method
    assert data.relief_not_recorded == 1
    assert [(w.sign, w.count, w.last_date) for w in data.warnings] == [
        ("Numbness", 2, "2026-03-10"),
        ("Swelling", 1, "2026-03-10"),
    ]
    titles = {r.id: r.title for r in doctor_rules.RULES}
    reasons = {r.title: r.on_date for r in data.doctor_reasons}
    assert reasons == {
        titles["swelling"]: "2026-03-10",
        titles["numbness"]: "2026-03-10",
        titles["intense"]: "2026-03-10",
    }
    assert data.profile_lines == []


def test_profile_is_reported_and_used_by_the_rules(diary):
    save_profile(
        diary, Profile(age_range="65_plus", conditions=("diabetes",), medicines="Metformin")
    )
    data = build_report(diary, request())
    assert data.profile_lines == [
        ("Age range", "65 or older"),
        ("Conditions", "Diabetes"),
        ("Medicines", "Metformin"),
    ]
    titles = {r.id: r.title for r in doctor_rules.RULES}
    assert titles["known_condition"] in {r.title for r in data.doctor_reasons}


def test_table_rows_are_plain_text_in_order(diary):
    data = build_report(diary, request())
    rows = list(iter_table_rows(diary.conn, data.period))
    assert len(rows) == 5
    assert all(len(row) == len(TABLE_HEADERS) for row in rows)
    assert [row[0] for row in rows] == [f"{e.started_at:%Y-%m-%d %H:%M}" for e in IN_PERIOD]
    second = rows[1]
    assert second[1] == "2 min"
    assert second[2] == "Sole / arch, Calf; both" or second[2] == "Calf, Sole / arch; both"
    assert second[6] == "Under-hydrated; 500 ml"
    assert second[7] == "Stretching, Massage: partly helped"
    assert second[8] == "Numbness"
    assert second[9] == "Context: New medicine."
    assert rows[2][5] == "High heels, tight or ill-fitting"
    assert rows[4][9] == '<b>bold</b> <img src="file:///etc/passwd">'


def test_long_notes_are_shortened_in_the_table(store):
    store.add_episode(make_episode(notes="word " * 5000), now=datetime(2026, 3, 20, tzinfo=TZ))
    (row,) = iter_table_rows(store.conn, PERIOD)
    assert len(row[9]) < 700
    assert "shortened; 24,999 characters" in row[9]


def test_empty_period(diary):
    data = build_report(diary, ReportRequest(Period(date(2025, 1, 1), date(2025, 1, 31)),
                                             date(2026, 3, 20)))  # fmt: skip
    assert data.empty
    assert data.median_duration_s is None and data.relief == [] and data.warnings == []
    assert data.doctor_reasons == []
    assert data.comparison.previous_count == 0


def test_all_history_starts_at_the_first_episode_and_has_no_comparison(diary):
    data = build_report(diary, ReportRequest(Period(None, date(2026, 3, 20)), date(2026, 3, 20)))
    assert data.period == Period(date(2026, 2, 10), date(2026, 3, 20))
    assert data.total == 9
    assert data.comparison is None


def test_presets():
    today = date(2026, 5, 31)
    assert preset_period("3m", today) == Period(date(2026, 3, 1), today)
    assert preset_period("1m", today) == Period(date(2026, 5, 1), today)
    assert preset_period("12m", today) == Period(date(2025, 6, 1), today)
    assert preset_period("1m", date(2026, 3, 31)) == Period(date(2026, 3, 1), date(2026, 3, 31))
    assert preset_period("all", today) == Period(None, today)
    assert set(SECTIONS) >= {"charts", "episodes", "questions"}
