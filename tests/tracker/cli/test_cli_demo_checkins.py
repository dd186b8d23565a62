"""`main.py demo --checkins DAYS`: the demo diary with check-ins, medicines and their cramps
(tracker.diary.demo_checkins), on top of the --episodes cramps, which stay what they were."""

from __future__ import annotations

from datetime import date, timedelta

from tests.tracker.cli.test_cli_demo import rows, run_main
from tracker.advice import exposure_view, knowledge
from tracker.diary import demo_checkins
from tracker.store import Store


def test_checkins_add_a_diary_the_insights_can_read(tmp_path):
    plain, with_checkins = tmp_path / "plain.sqlite", tmp_path / "checkins.sqlite"
    until = "2026-01-01"
    assert run_main("demo", "--db", plain, "--episodes", 100, "--until", until).returncode == 0
    result = run_main(
        "demo", "--db", with_checkins, "--episodes", 100, "--until", until, "--checkins", 730
    )
    assert result.returncode == 0, result.stderr
    diary = demo_checkins.generate_diary(730, 1, date(2026, 1, 1) - timedelta(days=1))
    assert f"{len(diary.checkins):,} check-ins and 2 medicines" in result.stdout
    with Store.open(with_checkins) as store:
        assert store.count_episodes() == 100 + len(diary.episodes)
        assert store.count_checkins() == len(diary.checkins)
        assert [m.name for m in store.medicines()] == [m.name for m in diary.medicines]
        view = exposure_view.gather(store, knowledge.default(), date(2026, 1, 1))
    assert view.report.get("low_fluids", "following_night").clear
    # the --episodes cramps are those of a plain demo: demo.generate is unchanged
    assert set(rows(plain)) <= set(rows(with_checkins))


def test_checkins_must_be_a_sensible_number_of_days(tmp_path):
    result = run_main("demo", "--db", tmp_path / "d.sqlite", "--checkins", -1)
    assert result.returncode != 0 and "--checkins" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "d.sqlite").exists()
