"""The doctor summary as a PDF: real text, a footer on every page, escaped notes, paper sizes."""

import io
import re
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QPageSize

from tests.tracker.report.test_report_data import IN_PERIOD, OUTSIDE, PARTIAL, PERIOD, TZ
from tracker.analysis.aggregates import Period
from tracker.diary import demo
from tracker.report.data import DISCLAIMER, TABLE_HEADERS, ReportRequest, build_report
from ui.report.document import ReportDocument, save_pdf

A4 = QPageSize(QPageSize.PageSizeId.A4)
LETTER = QPageSize(QPageSize.PageSizeId.Letter)
HOSTILE_NOTE = '<b>bold</b> <img src="file:///etc/passwd">'


@pytest.fixture
def diary(store):
    for episode in IN_PERIOD + OUTSIDE:
        store.add_episode(episode, now=datetime(2026, 3, 20, tzinfo=TZ))
    return store


# The table of the whole period, without TABLE_RULE's limits: a long table to lay out.
WHOLE_TABLE = {"table_months": None, "table_most": None}


def make_pdf(store, tmp_path, period=PERIOD, page_size=A4, **request):
    request.setdefault("name", "Ann <Smith>")
    data = build_report(store, ReportRequest(period, date(2026, 3, 20), **request))
    document = ReportDocument(data, store)
    out = tmp_path / "summary.pdf"
    assert save_pdf(document, out, page_size)
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    # Qt writes words apart, which the extractor joins with tabs: compare with single spaces
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    return document, reader, pages


def squash(text: str) -> str:
    """Text without any whitespace: extraction breaks lines where the layout wrapped them."""
    return "".join(text.split())


def test_every_page_has_the_disclaimer_and_its_number(qapp, diary, tmp_path):
    document, reader, pages = make_pdf(diary, tmp_path)
    assert len(reader.pages) == document.page_count >= 1
    for number, text in enumerate(pages, start=1):
        assert DISCLAIMER in text
        assert f"page {number} of {len(pages)}" in text


def test_page_one_figures_and_notes_are_real_text(qapp, diary, tmp_path):
    _, _, pages = make_pdf(diary, tmp_path, questions="Is it my new pill?\nMagnesium?")
    first, everything = pages[0], squash("".join(pages))
    assert "Cramp diary summary" in first
    assert "1 Mar 2026 to 14 Mar 2026 (14 days)" in first
    assert "Ann <Smith>" in first  # typed text is printed as typed
    for figure in ("5", "2.5", "3", "1 min", "10 min", "5 / 10", "9 / 10"):
        assert figure in first
    assert "More than in the previous 14 days (2)" in first
    assert "Asleep or in bed: 3 of 5 (60%)" in first
    assert "Numbness in 2 episodes (last 2026-03-10)" in first
    assert squash("Is it my new pill?") in everything
    assert squash(HOSTILE_NOTE) in everything  # the note's markup appears literally
    assert squash("Context: New medicine.") in everything
    for header in TABLE_HEADERS:
        assert squash(header) in everything


def test_not_recorded_values_read_as_such(qapp, store, tmp_path):
    for episode in PARTIAL:
        store.add_episode(episode, now=datetime(2026, 3, 20, tzinfo=TZ))
    _, _, pages = make_pdf(store, tmp_path)
    everything = squash(" ".join(pages))
    for text in (
        "Barefoot: 3 of 3 recorded (100%); 2 not recorded",
        "of 3 rated; 2 not rated",
        "2026-03-02 ≈ 03:00",  # an approximate start time, marked in the table
        "Not rated",
        "Site not recorded; both",
        "Tight or ill-fitting (type not recorded)",
    ):
        assert squash(text) in everything, text
    assert "None / 10" not in " ".join(pages)


def test_empty_period_is_one_page_that_says_so(qapp, diary, tmp_path):
    document, reader, pages = make_pdf(diary, tmp_path, Period(date(2025, 1, 1), date(2025, 1, 31)))
    assert len(reader.pages) == 1
    assert "No episodes in this period" in pages[0]
    assert "page 1 of 1" in pages[0]
    assert "Date and time" not in pages[0]


def test_long_table_repeats_its_header_and_follows_the_paper(qapp, store, tmp_path):
    store.add_episodes(demo.generate(400, seed=3, until=date(2026, 3, 20)))
    period = Period(date(2025, 3, 21), date(2026, 3, 20))
    for size, (width, height) in ((A4, (595, 842)), (LETTER, (612, 792))):
        document, reader, pages = make_pdf(store, tmp_path, period, size, **WHOLE_TABLE)
        assert len(pages) >= 5
        for page in reader.pages:
            assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
                width,
                height,
            )
        table_pages = [p for p in pages if "Every episode" in p or "Date and" in p]
        assert len(table_pages) >= 4
        assert all("Date and" in p and "Notes" in p for p in table_pages)  # the header row
        # every episode's start is printed exactly once: none lost or doubled at a page break
        starts = re.findall(r"\d{4}-\d\d-\d\d\s+(?:≈\s*)?\d\d:\d\d", "\n".join(pages))
        assert len(starts) == len(document.rows) == document.data.total > 100


def test_rows_are_never_split_across_pages(qapp, store, tmp_path):
    store.add_episodes(demo.generate(300, seed=4, until=date(2026, 3, 20)))
    request = ReportRequest(Period(None, date(2026, 3, 20)), date(2026, 3, 20), **WHOLE_TABLE)
    data = build_report(store, request)
    document = ReportDocument(data, store, images={})
    out = tmp_path / "x.pdf"
    assert save_pdf(document, out, A4)
    table = document.table
    spans = table.pages
    assert spans[0][0] == 0 and spans[-1][1] == len(document.rows) == 300
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert end == start
    for index, (start, end) in enumerate(spans):
        room = table.rooms[index]
        assert sum(table.heights[start:end]) <= room + 0.01


def test_cancel_leaves_no_file(qapp, diary, tmp_path):
    data = build_report(diary, ReportRequest(PERIOD, date(2026, 3, 20)))
    document = ReportDocument(data, diary)
    folder = tmp_path / "out"
    folder.mkdir()
    assert not save_pdf(document, folder / "summary.pdf", A4, progress=lambda *_: False)
    assert list(folder.iterdir()) == []


def test_text_uses_the_bundled_font(qapp, diary, tmp_path):
    _, reader, _ = make_pdf(diary, tmp_path)
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    assert any("DejaVuSans" in name for name in names), names


@pytest.mark.parametrize(("locale", "expected"), [("en_US", "Letter"), ("de_DE", "A4")])
def test_pdf_paper_follows_the_locale(qapp, locale, expected):
    from PySide6.QtCore import QLocale

    from ui.report.document import default_page_size

    previous = QLocale()
    QLocale.setDefault(QLocale(locale))
    try:
        assert default_page_size().key() == expected
    finally:
        QLocale.setDefault(previous)
