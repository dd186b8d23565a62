"""Dates look the same everywhere: the locale's short and long forms (ui/widgets/dates.py), and one
name per period on every page (tracker.diary.vocab.PERIODS, tracker/diary/periods.py)."""

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from tracker.diary import vocab
from tracker.diary.periods import ALL, CUSTOM, preset_period
from ui.widgets import dates

UI = Path(__file__).resolve().parents[3] / "ui"
# The one module that turns dates into text for people, and the one that stamps file names.
ALLOWED = {"dates.py", "file_dialogs.py"}
HARD_CODED = (
    (re.compile(r"\bstrftime\("), "strftime()"),
    (re.compile(r"\{[^{}\n]*:[^{}\n]*%[aAbBdHIMmpSyYZ][^{}\n]*\}"), "an f-string date format"),
    (re.compile(r"setDisplayFormat\(\s*[\"']"), "a fixed date-field format"),
    (re.compile(r"\.toString\(\s*[\"'][^\"']*(yy|MM|dd|HH|hh)"), "a fixed Qt date format"),
)
SATURDAY = date(2026, 11, 21)


@pytest.fixture
def locale():
    """Set the default locale for one test, then restore it."""
    before = QLocale()

    def use(name: str) -> None:
        QLocale.setDefault(QLocale(name))

    yield use
    QLocale.setDefault(before)


def test_no_ui_module_formats_dates_itself():
    found = []
    for path in sorted(UI.glob("*.py")):
        if path.name in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for pattern, what in HARD_CODED:
                if pattern.search(line):
                    found.append(f"ui/{path.name}:{number}: {what}: {line.strip()}")
    assert not found, "format dates through ui/widgets/dates.py:\n" + "\n".join(found)


def test_the_check_finds_hard_coded_formats():
    samples = (
        'f"{when:%a %d %b %Y}"',
        'value.strftime("%H:%M")',
        'edit.setDisplayFormat("yyyy-MM-dd")',
        'day.toString("d MMM yyyy")',
    )
    for sample in samples:
        assert any(p.search(sample) for p, _ in HARD_CODED), sample
    assert not any(p.search('f"{count:,} episodes"') for p, _ in HARD_CODED)


@pytest.mark.parametrize(
    ("name", "short", "long", "time"),
    (
        ("en_US", "11/21/26", "Saturday, November 21, 2026", "3:05\u202fAM"),
        ("en_GB", "21/11/2026", "Saturday, 21 November 2026", "03:05"),
        ("de_DE", "21.11.26", "Samstag, 21. November 2026", "03:05"),
        ("C", "21 Nov 2026", "Saturday, 21 November 2026", "03:05"),
    ),
)
def test_short_and_long_forms_follow_the_locale(locale, name, short, long, time):
    locale(name)
    when = datetime(2026, 11, 21, 3, 5)
    assert dates.short_date(SATURDAY) == short
    assert dates.long_date(SATURDAY) == long
    # Qt's data may use a narrow no-break space before AM: compare without caring which space
    assert dates.short_time(when).replace("\u202f", " ") == time.replace("\u202f", " ")
    assert dates.date_time(when) == f"{short}, {dates.short_time(when)}"
    assert dates.long_date_time(when) == f"{long} at {dates.short_time(when)}"


def test_date_fields_show_the_whole_year(locale):
    for name in ("en_US", "de_DE", "en_GB", "C", "ja_JP"):
        locale(name)
        assert "yyyy" in dates.edit_format()
        assert "yyyyyy" not in dates.edit_format()
        assert dates.date_time_edit_format().startswith(dates.edit_format())


def test_a_time_with_an_offset_is_shown_as_its_own_wall_clock(locale):
    locale("en_GB")
    tokyo = datetime(2026, 11, 21, 23, 30, tzinfo=timezone(timedelta(hours=9)))
    assert dates.date_time(tokyo) == "21/11/2026, 23:30"


# ----------------------------------------------------------------- one name per period


def test_every_period_has_one_distinct_name():
    names = list(vocab.PERIODS.values())
    assert len(names) == len(set(names))
    for stale in ("All dates", "All my history", "Last 90 days", "Custom range"):
        assert stale not in names


def _choices(combo) -> list[tuple[str, str]]:
    return [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count())]


@pytest.fixture
def pages(qtbot, store):
    from ui.data.export_dialog import ExportDialog
    from ui.history.page import HistoryPage
    from ui.patterns.page import PatternsPage
    from ui.report.dialog import ReportDialog

    today = date.today()
    widgets = {
        "History": HistoryPage(store, today=lambda: today),
        "Patterns": PatternsPage(store, today=lambda: today, precompute=False),
        "Summary for my doctor": ReportDialog(store, today=today),
        "Export": ExportDialog(store),
    }
    for widget in widgets.values():
        qtbot.addWidget(widget)
    combos = {
        "History": widgets["History"].period,
        "Patterns": widgets["Patterns"].range_combo,
        "Summary for my doctor": widgets["Summary for my doctor"].preset,
        "Export": widgets["Export"].period_combo,
    }
    return widgets, combos


def test_period_names_are_the_same_on_every_page(pages):
    _, combos = pages
    seen: dict[str, set[str]] = {}
    for page, combo in combos.items():
        choices = _choices(combo)
        assert choices, page
        for code, text in choices:
            assert code in vocab.PERIODS, f"{page}: {text!r} is not a named period"
            assert text == vocab.PERIODS[code], f"{page} calls {code!r} {text!r}"
            seen.setdefault(code, set()).add(text)
        codes = [code for code, _ in choices]
        assert ALL in codes and CUSTOM in codes and "30d" in codes and "3m" in codes, page
    assert all(len(texts) == 1 for texts in seen.values())


def test_a_named_period_covers_the_same_dates_on_every_page(pages):
    widgets, combos = pages
    today = date.today()
    for code in ("30d", "3m", "12m"):
        for combo in combos.values():
            combo.setCurrentIndex(combo.findData(code))
        expected = preset_period(code, today)
        assert widgets["History"].current_filter().date_from == expected.first.isoformat()
        assert widgets["Patterns"].period() == expected
        assert widgets["Summary for my doctor"].period() == expected
        export = widgets["Export"].period()
        assert export == expected


def test_months_are_calendar_months():
    assert preset_period("3m", date(2026, 11, 21)).first == date(2026, 8, 22)
    assert preset_period("12m", date(2026, 11, 21)).first == date(2025, 11, 22)
    assert preset_period("3m", date(2026, 5, 31)).first == date(2026, 3, 1)  # 28 Feb + 1 day
    assert preset_period("30d", date(2026, 11, 21)).days == 30
    assert preset_period(ALL, date(2026, 11, 21)).first is None


def test_a_saved_patterns_range_from_before_keeps_its_meaning(store, qtbot):
    from ui.patterns.page import PatternsPage

    store.set_setting("patterns.range", "90d")
    page = PatternsPage(store, precompute=False)
    qtbot.addWidget(page)
    assert page.range_key == "3m"
