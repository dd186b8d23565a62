"""The doctor summary's figures for a small known diary, each worked out by hand here."""

from datetime import date, datetime, timedelta, timezone
from statistics import median

import pytest

from tests.factories import make_episode
from tracker.advice import doctor_rules
from tracker.advice.profile import Profile, save_profile
from tracker.analysis.aggregates import Period
from tracker.report.data import (
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
    # every reason that applied on any day of the period, with the dates of its cramps (the
    # 7-day and 4-week rules also count the cramps of February that led up to March)
    assert [(r.rule_id, r.dates, r.episode_count) for r in data.doctor_reasons] == [
        ("swelling", "2026-03-10", 1),
        ("numbness", "2026-03-03 to 2026-03-10", 2),
        ("intense", "2026-03-03 to 2026-03-10", 2),  # 7 and 9: the severe band
        ("frequent", "2026-02-28 to 2026-03-05", 4),
        ("persistent_days", "2026-02-28 to 2026-03-05", 4),
        ("rising", "2026-02-10 to 2026-03-05", 6),  # 1, 1, 1, 3 a week
        ("steady", "2026-02-10 to 2026-03-14", 8),
    ]
    titles = {r.id: r.title for r in doctor_rules.RULES}
    assert all(r.title == titles[r.rule_id] for r in data.doctor_reasons)
    persistent = data.doctor_reasons[4]
    assert persistent.line() == "Cramps on 3 days within a week: 2026-02-28 to 2026-03-05"
    assert data.profile_lines == []


def test_doctor_reasons_are_what_the_banner_showed_on_each_day(diary):
    """The summary lists exactly the reasons the banner gave on some day of the period."""
    history = list(diary.iter_episodes())
    shown: dict[str, set[int]] = {}
    day = PERIOD.first
    while day <= PERIOD.last:
        for alert in doctor_rules.evaluate_at(history, None, day):
            shown.setdefault(alert.rule_id, set()).update(alert.episode_ids)
        day += timedelta(days=1)
    data = build_report(diary, request())
    assert {r.rule_id: r.episode_count for r in data.doctor_reasons} == {
        rule_id: len(ids) for rule_id, ids in shown.items()
    }


def test_five_cramps_in_five_days_are_reasons_to_see_a_doctor(store):
    for day in range(2, 7):
        store.add_episode(make_episode(started_at=at(day, 12), severity=4))
    data = build_report(store, request())
    assert {r.rule_id for r in data.doctor_reasons} == {"frequent", "persistent_days"}


def test_a_warning_sign_just_before_the_period_still_counts(store):
    store.add_episode(make_episode(started_at=datetime(2026, 2, 25, 12, tzinfo=TZ),
                                   severity=4, warning_signs=("numbness",)))  # fmt: skip
    store.add_episode(make_episode(started_at=at(3, 12), severity=4))
    data = build_report(store, request())
    assert [(r.rule_id, r.dates) for r in data.doctor_reasons] == [("numbness", "2026-02-25")]


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
    reasons = {r.rule_id: r for r in data.doctor_reasons}
    assert "Your profile mentions diabetes." in reasons["known_condition"].message
    # 65 or older: one cramp while walking and the night cramps around it (a001: at rest too)
    assert reasons["walking_older"].dates == "2026-02-10 to 2026-03-14"


def test_table_rows_are_plain_text_in_order(diary):
    data = build_report(diary, request())
    rows = list(iter_table_rows(diary, data.period))
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
    (row,) = iter_table_rows(store, PERIOD)
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


# ---- a diary where some details were "not recorded"
NONE = dict(side=None, site=(), severity=None, activity=None, hydration=None, footwear=None)
PARTIAL = [
    # "last night, around 3": a quick log with nothing but the time and the duration
    make_episode(started_at=at(2, 3), duration_s=60, time_approximate=True, **NONE),
    make_episode(started_at=at(4, 10, 45), duration_s=90, **{**NONE, "severity": 6,
                 "footwear": "barefoot", "site": ("calf",), "side": "left"}),
    make_episode(started_at=at(6, 23), duration_s=30, **{**NONE, "activity": "in_bed",
                 "footwear": "barefoot", "hydration": "under", "side": "both"}),
    make_episode(started_at=at(8, 14), duration_s=120, footwear_tight=True, **{**NONE,
                 "severity": 8, "activity": "walking", "hydration": "under",
                 "site": ("big_toe", "calf"), "side": "right"}),
    make_episode(started_at=at(9, 22), duration_s=45, severity=3, activity="in_bed",
                 footwear="barefoot", hydration="normal", site=("big_toe",), side="left"),
]  # fmt: skip


@pytest.fixture
def partial(store):
    for episode in PARTIAL:
        store.add_episode(episode, now=datetime(2026, 3, 20, tzinfo=TZ))
    return store


def test_shares_are_of_recorded_episodes_and_say_how_many_were_not(partial):
    data = build_report(partial, request())
    assert data.total == 5
    assert data.activity.text() == "Asleep or in bed: 2 of 3 recorded (67%); 2 not recorded"
    assert data.footwear.text() == "Barefoot: 3 of 3 recorded (100%); 2 not recorded"
    # the fourth cramp gave no shoe type but ticked "tight": it says something about fit
    assert data.tight.text() == "Tight or ill-fitting: 1 of 4 recorded (25%); 1 not recorded"
    assert data.tight_count == 1
    assert data.hydration.text() == "Under-hydrated: 2 of 3 recorded (67%); 2 not recorded"
    # big toe and calf are each in 2 of the 3 cramps that said where (one named both)
    assert data.site.text() == "Big toe: 2 of 3 recorded (67%); 2 not recorded"
    assert data.side.text() == "Left: 2 of 4 recorded (50%); 1 not recorded"


def test_severity_figures_are_of_rated_episodes(partial):
    data = build_report(partial, request())
    assert data.severity_not_rated == 2 and data.severity_rated == 3
    assert data.median_severity == 6  # of 6, 8 and 3; the unrated are not zeros
    assert data.highest_severity == 8
    assert data.severe_count == 1
    assert data.approximate_times == 1
    # the unrated cramps count as cramps, never as intense ones
    assert [(r.rule_id, r.dates) for r in data.doctor_reasons] == [
        ("intense", "2026-03-08"),
        ("frequent", "2026-03-02 to 2026-03-09"),
        ("persistent_days", "2026-03-02 to 2026-03-09"),
        ("not_improving", "2026-03-02 to 2026-03-09"),
    ]


def test_nothing_recorded_at_all(store):
    for day in (3, 4):
        store.add_episode(make_episode(started_at=at(day, 12), **NONE))
    data = build_report(store, request())
    assert data.total == 2
    for common in (data.activity, data.footwear, data.hydration, data.site, data.side):
        assert common.text() == "Not recorded in any of the 2 episodes"
    assert data.tight is None
    assert data.median_severity is None and data.highest_severity is None
    assert data.severe_count == 0 and data.severity_not_rated == 2
    assert data.doctor_reasons == []


def test_table_says_not_recorded_and_marks_approximate_times(partial):
    rows = list(iter_table_rows(partial, PERIOD))
    quick = dict(zip(TABLE_HEADERS, rows[0], strict=True))
    assert quick == {
        "Date and time": "2026-03-02 ≈ 03:00",
        "Duration": "1 min",
        "Site and side": "Not recorded",
        "Sev. (0-10)": "Not rated",
        "Activity": "Not recorded",
        "Footwear": "Not recorded",
        "Hydration": "Not recorded",
        "Relief and effect": "Not recorded",
        "Warning signs": "None",
        "Notes": "",
    }
    assert rows[1][0] == "2026-03-04 10:45"
    assert rows[1][2] == "Calf; left"
    assert rows[2][2] == "Site not recorded; both"
    assert rows[3][2] == "Big toe, Calf; right"
    assert rows[3][5] == "Tight or ill-fitting (type not recorded)"
    assert rows[4][3] == "3"
    # every cell but the notes says something: an empty cell would look like a bug
    assert all(cell for row in rows for cell in row[:-1])


def test_where_counts_every_site_per_side(partial):
    from tracker.report.data import site_side_rows

    rows = site_side_rows(partial, PERIOD)
    # columns: left, right, both, side not recorded; body order, "Site not recorded" last
    assert [(r.label, r.by_side, r.total) for r in rows] == [
        ("Big toe", (1, 1, 0, 0), 2),
        ("Calf", (1, 1, 0, 0), 2),
        ("Site not recorded", (0, 0, 1, 1), 2),
    ]
    assert build_report(partial, ReportRequest(PERIOD, date(2026, 3, 20))).where == rows


def test_a_note_is_shortened_by_lines_and_characters_and_says_so():
    from tracker.report.data import NOTES_MAX_CHARS, NOTES_MAX_LINES, shortened_note, table_row

    assert shortened_note("short\nnote") == "short\nnote"
    many = "\n".join(f"line {i}" for i in range(1, 31))  # 30 short lines, 200 characters
    cut = shortened_note(many)
    assert cut.count("\n") == NOTES_MAX_LINES - 1
    assert cut.endswith(f"line {NOTES_MAX_LINES}… (shortened; 30 lines, {len(many)} characters)")
    long = "x" * (NOTES_MAX_CHARS + 50)
    assert shortened_note(long) == "x" * NOTES_MAX_CHARS + f"… (shortened; {len(long)} characters)"
    row = table_row(make_episode(notes=many))
    assert "(shortened; 30 lines" in row[TABLE_HEADERS.index("Notes")]
