"""HTML for showing tips, their reasons and their sources, shared by the tips widgets.

Everything that reaches the markup is escaped: tip text is ours, but reasons can quote Patterns
findings and the profile, and nothing here should ever be able to load a file.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from PySide6.QtGui import QColor, QPalette

from tracker.advice.knowledge import KnowledgeBase, Tip
from ui.widgets import theme

NOT_DIAGNOSIS = (
    "This app does not diagnose. Its tips repeat advice from five published articles about toe "
    "cramps; see a doctor about cramps that worry you."
)

SHORT_NOT_DIAGNOSIS = "This app does not diagnose; it repeats what its source articles advise."

KIND_COLOURS = theme.TIP_KIND_HUES  # as on white; kind_colour() fits them to the background


def _base() -> QColor:
    """Tips are shown in text browsers: on the palette's Base colour."""
    return theme.app_palette().color(QPalette.ColorRole.Base)


def kind_colour(kind: str, background: QColor | None = None) -> str:
    """The colour of a tip kind's label, readable (AA) on ``background`` (default: Base)."""
    background = _base() if background is None else background
    text = theme.app_palette().color(QPalette.ColorRole.Text)
    return _readable(kind, background.rgba(), text.rgba())


def muted_colour(background: QColor | None = None) -> str:
    """Secondary text (sources, tags), softer than the text but readable on ``background``."""
    background = _base() if background is None else background
    text = theme.app_palette().color(QPalette.ColorRole.Text)
    return _readable(None, background.rgba(), text.rgba())


@lru_cache(maxsize=64)
def _readable(kind: str | None, background: int, text: int) -> str:
    """Computed once per colour pair: a page of tips asks for them a hundred times."""
    back, ink = QColor.fromRgba(background), QColor.fromRgba(text)
    if kind is None:
        return theme.muted(back, ink).name()
    known = KIND_COLOURS.get(kind)
    return theme.readable_on(back, QColor(known) if known else ink).name()


def sources_line(kb: KnowledgeBase, tip: Tip) -> str:
    cites = "; ".join(escape(s.citation()) for s in kb.sources_of(tip))
    label = "Source" if len(tip.sources) == 1 else "Sources"
    return f"<span style='color:{muted_colour()}'>{label}: {cites}</span>"


def tip_block(
    kb: KnowledgeBase, tip: Tip, reasons=(), show_kind: bool = True, show_sources: bool = True
) -> str:
    """One tip as a paragraph block: title, kind and factors, text, reasons, sources."""
    colour, muted = kind_colour(tip.kind), muted_colour()
    head = f"<b style='font-size:large'>{escape(tip.title)}</b>"
    if show_kind:
        tags = " · ".join(escape(f) for f in tip.factor_labels)
        head += f"&nbsp;&nbsp;<span style='color:{colour}'>{escape(tip.kind_label)}</span>" + (
            f"<span style='color:{muted}'> · {tags}</span>" if tags else ""
        )
    parts = [f"<p style='margin-bottom:2px'>{head}</p>", f"<p>{escape(tip.text)}</p>"]
    if reasons:
        items = "".join(f"<li>{escape(r)}</li>" for r in reasons)
        parts.append(
            "<p style='margin-bottom:0'><b>Why you see this:</b></p>"
            f"<ul style='margin-top:0'>{items}</ul>"
        )
    if show_sources:
        parts.append(f"<p style='margin-top:0'>{sources_line(kb, tip)}</p>")
    return "".join(parts)


def tips_document(kb: KnowledgeBase, blocks: list[str], empty: str) -> str:
    if not blocks:
        return f"<p style='color:{muted_colour()}'>{escape(empty)}</p>"
    return "<hr>".join(blocks)


SOURCES_INTRO = (
    "The advice in this app was taken from the five articles below. Each tip puts that advice in "
    "our own words and names the article or articles it comes from; where the articles "
    "disagree, the tip says so."
)


def sources_html(kb: KnowledgeBase) -> str:
    """The articles the advice was taken from: title, author, date and experts where the
    article gives them, and how many tips draw on each."""
    blocks = [f"<p>{escape(SOURCES_INTRO)}</p>"]
    muted = muted_colour()
    for source in kb.sources.values():
        used = sum(1 for t in kb.tips if source.id in t.sources)
        rows = "".join(
            f"<tr><td style='color:{muted}; padding-right:12px'>{escape(k)}</td>"
            f"<td>{escape(v)}</td></tr>"
            for k, v in source.details()
        )
        table = f"<table>{rows}</table>" if rows else ""
        blocks.append(
            f"<p style='margin-bottom:2px'><b style='font-size:large'>"
            f"{escape(source.title)}</b></p>{table}"
            f"<p style='color:{muted}'>Advice from it appears in {used} "
            f"tip{'s' if used != 1 else ''}.</p>"
        )
    return "<hr>".join(blocks)
