"""Typed text in the doctor summary cannot reverse the text around it.

A right-to-left override (U+202E) typed into the name used to print the whole line after it
backwards: "Name: 20-10-0791 :htrib fo etaD live". Bidi controls are removed from typed text
and right-to-left lines are put in isolates (FSI ... PDI), in the HTML part, in the painted
notes cells and in the name given to the `report` command.
"""

import io
import re
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from main import main as run_main
from tests.factories import TZ, make_episode
from tracker.analysis.aggregates import Period
from tracker.report.data import ReportRequest, build_report, table_row
from tracker.report.html_summary import FSI, PDI, isolate, summary_html
from ui.report.document import ReportDocument, save_pdf
from ui.report.table import NOTES, typed_cells

RLO, PDF_, LRE, RLI = "\u202e", "\u202c", "\u202a", "\u2067"
PERIOD = Period(date(2026, 3, 1), date(2026, 3, 14))
HEBREW = "\u05d3\u05d5\u05d3 \u05db\u05d4\u05df"  # a name written right to left
EXPLICIT = re.compile("[\u202a-\u202e\u2066\u2067]")  # anything but FSI/PDI


class _Text(HTMLParser):
    """The text of each <p>, <td> and <li>, as a reader of the page would meet it."""

    def __init__(self):
        super().__init__()
        self.blocks, self._open = [], None

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "td", "li"):
            self._open = []
        elif tag == "br" and self._open is not None:
            self._open.append("\n")

    def handle_endtag(self, tag):
        if tag in ("p", "td", "li") and self._open is not None:
            self.blocks.append("".join(self._open))
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)


def _blocks(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.blocks


def _balanced(text: str) -> bool:
    """Every FSI closed by a PDI, in order, and no other explicit bidi control anywhere."""
    depth = 0
    for char in text:
        if char == FSI:
            depth += 1
        elif char == PDI:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and not EXPLICIT.search(text)


@pytest.fixture
def diary(store):
    when = datetime(2026, 3, 10, 2, 30, tzinfo=TZ)
    store.add_episode(make_episode(started_at=when, notes=f"{RLO}evil note"))
    store.add_episode(make_episode(started_at=when + timedelta(hours=1), notes="plain note"))
    return store


def _request(**typed) -> ReportRequest:
    return ReportRequest(PERIOD, date(2026, 3, 20), **typed)


def test_an_override_in_the_name_does_not_reverse_the_birth_date_line(diary):
    request = _request(name=f"{RLO}evil", birth_date="1970-01-02", questions=f"{RLO}Why?\nMg?")
    html = summary_html(build_report(diary, request), {})
    assert RLO not in html and _balanced(html)
    who = next(b for b in _blocks(html) if b.startswith("Name:"))
    assert re.sub(r"\s+", " ", who) == "Name: evil Date of birth: 1970-01-02"
    questions = next(b for b in _blocks(html) if "Why?" in b)
    assert questions == "Why?\nMg?"


def test_right_to_left_text_is_isolated_and_stray_controls_cannot_close_it(diary):
    sneaky = f"{HEBREW}{PDI}{RLO} x"  # a PDI to end our isolate early, then an override
    request = _request(name=sneaky, birth_date=f"{LRE}1970{PDF_}", questions=f"a\n{HEBREW}\nb")
    html = summary_html(build_report(diary, request), {})
    assert _balanced(html)
    assert f"<b>Name:</b> {FSI}{HEBREW} x{PDI}" in html
    assert "<b>Date of birth:</b> 1970</p>" in html  # left-to-right: no isolate needed
    assert f"a<br>{FSI}{HEBREW}{PDI}<br>b" in html  # each line its own isolate


def test_isolate_keeps_plain_text_as_it_is():
    assert isolate("Ann <Smith>\nline two") == "Ann <Smith>\nline two"
    assert isolate("Zoë, café") == "Zoë, café"
    assert isolate(f"{RLO}{RLI}{FSI}{PDI}") == ""
    assert isolate(f"x{RLO}\u0627\u0644") == f"{FSI}x\u0627\u0644{PDI}"


def test_notes_cell_is_made_safe(diary):
    rows = [table_row(e) for e in diary.iter_episodes()]
    cells = {typed_cells(r)[NOTES] for r in rows}
    assert cells == {"evil note", "plain note"}
    plain = next(r for r in rows if r[NOTES] == "plain note")
    assert typed_cells(plain) is plain  # plain rows are not copied (100,000 rows)


def _pdf_text(path) -> list[str]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_pdf_reads_in_order(qapp, diary, tmp_path):
    request = _request(name=f"{RLO}evil", birth_date="1970-01-02", questions=f"{RLO}Why?\nMg?")
    document = ReportDocument(build_report(diary, request), diary)
    out = tmp_path / "summary.pdf"
    assert save_pdf(document, out)
    pages = _pdf_text(out)
    first, everything = pages[0], " ".join(pages)
    assert "Name: evil Date of birth: 1970-01-02" in first
    assert "Why? Mg?" in first
    assert "evil note" in everything and "eton" not in everything


def test_report_command_name_reaches_every_page_unreversed(qapp, store, db_path, tmp_path):
    start = datetime(2026, 3, 1, 8, 0, tzinfo=TZ)
    for i in range(90):  # enough rows for a second page, whose header repeats the name
        store.add_episode(make_episode(started_at=start + timedelta(hours=3 * i)))
    out = tmp_path / "summary.pdf"
    argv = ["report", "--db", str(db_path), "--out", str(out), "--from", "2026-03-01"]
    argv += ["--to", "2026-03-14", "--name", f"{RLO}evil", "--birth-date", "1970-01-02"]
    assert run_main(argv) == 0
    pages = _pdf_text(out)
    assert len(pages) >= 2
    assert "Name: evil Date of birth: 1970-01-02" in pages[0]
    assert all("live" not in page for page in pages)
    assert "Cramp diary summary — evil" in pages[1]
