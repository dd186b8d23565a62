"""The check-in section in the real PDF: its table and lines are text a reader can extract."""

from datetime import date

from tests.ui.report.test_report_pdf import make_pdf, squash
from tracker.diary.demo_checkins import MEDICINE_NAME, generate_diary
from tracker.diary.periods import Period

UNTIL = date(2026, 1, 1)


def test_factor_table_medicines_and_sleep_are_in_the_pdf(qapp, store, tmp_path):
    diary = generate_diary(400, seed=2, until=UNTIL)
    store.add_episodes(diary.episodes)
    store.add_checkins(diary.checkins, today=UNTIL)
    for medicine in diary.medicines:
        store.add_medicine(medicine, today=UNTIL)
    period = Period(date(2025, 1, 1), date(2025, 12, 31))
    _, _, pages = make_pdf(store, tmp_path, period=period)
    everything = squash(" ".join(pages))
    for expected in (
        "Daily check-ins, medicines and sleep",
        "Days with fewer fluids",
        "Night after: rate ratio (95% interval)",
        "associations in this diary, not causes",
        MEDICINE_NAME,
        "still taken",
        "talk to your doctor or pharmacist before changing anything",
        "Sleep disturbance",
        "nights rated",
    ):
        assert squash(expected) in everything, expected
