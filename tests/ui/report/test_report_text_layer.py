"""The PDF's text layer says each thing once, on the page where it is seen, and has no boxes.

Qt draws text it clips away (a line just above or below a page's clip) into the PDF: invisible
on paper, but copied, searched and read aloud. Text is extracted page by page with pdftotext
-layout (poppler) when it is installed, else pypdf.
"""

import io
import shutil
import subprocess
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QPageSize

from tests.factories import make_episode
from tests.tracker.report.test_report_data import TZ
from tracker.analysis.aggregates import Period
from tracker.diary import demo
from tracker.report.data import DISCLAIMER, TABLE_HEADERS, TITLE, ReportRequest, build_report
from ui.report.document import (
    EMOJI_PLACEHOLDER,
    SCRIPT_PLACEHOLDER,
    ReportDocument,
    printable,
    save_pdf,
)

A4 = QPageSize(QPageSize.PageSizeId.A4)
LETTER = QPageSize(QPageSize.PageSizeId.Letter)
PERIOD = Period(date(2024, 3, 21), date(2026, 3, 20))


def page_lines(path) -> list[list[str]]:
    """Each page's lines, words joined by single spaces."""
    pages = len(PdfReader(path).pages)
    texts = []
    for number in range(1, pages + 1):
        if shutil.which("pdftotext"):
            args = ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(path), "-"]
            texts.append(subprocess.run(args, capture_output=True, text=True, check=True).stdout)
        else:
            texts.append(PdfReader(io.BytesIO(path.read_bytes())).pages[number - 1].extract_text())
    return [
        [" ".join(line.split()) for line in text.splitlines() if line.strip()] for text in texts
    ]


def repeated_by_design(line: str) -> bool:
    """Header and footer bands and the episode table's header row are on every page."""
    return (
        line.startswith((DISCLAIMER, TITLE))
        or line.startswith(TABLE_HEADERS[0].split()[0])
        or line in ("time (0-10) effect signs", "time (0-10) effect signs".split()[0])
    )


WHOLE_TABLE = {"table_months": None, "table_most": None}  # a long table, not TABLE_RULE's


@pytest.fixture(scope="module")
def long_history(tmp_path_factory):
    from tracker.store import Store

    store = Store.open(tmp_path_factory.mktemp("db") / "diary.sqlite")
    for episode in demo.generate(400, seed=3, until=date(2026, 3, 20)):
        store.add_episode(episode)
    yield store
    store.close()


@pytest.mark.parametrize("size", [A4, LETTER], ids=["A4", "Letter"])
def test_no_line_is_printed_on_two_pages(qapp, long_history, tmp_path, size):
    request = ReportRequest(PERIOD, date(2026, 3, 20), name="Ann", **WHOLE_TABLE)
    data = build_report(long_history, request)
    assert data.doctor_reasons  # page one runs over: the reasons cross a page break
    document = ReportDocument(data, long_history)
    out = tmp_path / "summary.pdf"
    assert save_pdf(document, out, size)
    pages = page_lines(out)
    assert len(pages) == document.page_count > 5
    seen: dict[str, int] = {}
    for number, lines in enumerate(pages, start=1):
        for line in lines:
            # long lines only: short cells ("Walking", "4") legitimately repeat
            if len(line) < 50 or repeated_by_design(line):
                continue
            first = seen.setdefault(line, number)
            assert first == number or line.count("recorded") >= 3, (line, first, number)
    page_one_reasons = [r.title for r in data.doctor_reasons]
    everything = "\n".join("\n".join(lines) for lines in pages)
    for title in page_one_reasons:  # each reason's first line: once in the whole PDF
        assert everything.count(title + ":") == 1, title


@pytest.mark.parametrize("size", [A4, LETTER], ids=["A4", "Letter"])
def test_a_doctor_reason_is_never_split_across_pages(qapp, long_history, tmp_path, size):
    request = ReportRequest(PERIOD, date(2026, 3, 20), name="Ann", **WHOLE_TABLE)
    data = build_report(long_history, request)
    document = ReportDocument(data, long_history)  # with charts: a reason meets a break
    out = tmp_path / "summary.pdf"
    assert save_pdf(document, out, size)
    pages = ["".join("".join(lines).split()) for lines in page_lines(out)]
    for reason in data.doctor_reasons:
        whole = "".join(f"{reason.title}: {reason.dates}. {reason.message}".split())
        assert sum(whole in page for page in pages) == 1, reason.title  # whole, on one page
        title = "".join(f"{reason.title}:".split())
        assert sum(title in page for page in pages) == 1, reason.title  # and nowhere else


def test_unsupported_characters_become_visible_placeholders(qapp):
    assert printable("plain") == "plain"
    assert printable("café ✓") == "café ✓"  # DejaVu Sans has these
    assert printable("\u2068שלום\u2069") == "\u2068שלום\u2069"  # bidi isolates need no glyph
    for emoji in ("\U0001f44d\U0001f3fd", "\U0001f468\u200d\U0001f469\u200d\U0001f467"):
        result = printable(f"a {emoji} b")
        assert result in (f"a {emoji} b", f"a {EMOJI_PLACEHOLDER} b"), result
    runes = printable("runes ᚠᛇᚻ ok")
    assert runes in ("runes ᚠᛇᚻ ok", f"runes {SCRIPT_PLACEHOLDER} ok"), runes


def test_no_box_in_the_pdf_for_an_emoji(qapp, store, tmp_path):
    thumbs = "\U0001f44d\U0001f3fd"  # not in DejaVu Sans
    store.add_episode(
        make_episode(started_at=datetime(2026, 3, 3, 2, tzinfo=TZ), notes=f"Better {thumbs} now"),
        now=datetime(2026, 3, 20, tzinfo=TZ),
    )
    request = ReportRequest(
        Period(date(2026, 3, 1), date(2026, 3, 14)), date(2026, 3, 20), questions=f"Why {thumbs}?"
    )
    document = ReportDocument(build_report(store, request), store, images={})
    out = tmp_path / "summary.pdf"
    assert save_pdf(document, out, A4)
    text = " ".join(" ".join(lines) for lines in page_lines(out))
    expected = printable(thumbs)
    assert f"Why {expected}?" in text
    assert f"Better {expected} now" in text
    assert "\ufffd" not in text  # no glyph without a character behind it
    if expected == EMOJI_PLACEHOLDER:
        assert thumbs[0] not in text


def test_a_note_of_many_short_lines_is_shortened_with_the_marker(qapp, store, tmp_path):
    note = "\n".join(f"line {i}" for i in range(1, 31))
    start = datetime(2026, 3, 3, 2, tzinfo=TZ)
    store.add_episode(make_episode(started_at=start, notes=note), now=start + timedelta(days=9))
    request = ReportRequest(Period(date(2026, 3, 1), date(2026, 3, 14)), date(2026, 3, 20))
    document = ReportDocument(build_report(store, request), store, images={})
    out = tmp_path / "summary.pdf"
    assert save_pdf(document, out, A4)
    text = " ".join(" ".join(lines) for lines in page_lines(out))
    assert "(shortened; 30 lines" in " ".join(text.split())
    assert "line 30" not in text and "line 1" in text
