"""HTML for showing tips, their reasons and their sources, shared by the tips widgets.

Everything that reaches the markup is escaped: tip text is ours, but reasons can quote Patterns
findings and the profile, and nothing here should ever be able to load a file.
"""

from __future__ import annotations

from html import escape

from tracker.knowledge import KnowledgeBase, Tip

NOT_DIAGNOSIS = (
    "This app does not diagnose. Its tips repeat advice from five published articles about toe "
    "cramps; see a doctor about cramps that worry you."
)

SHORT_NOT_DIAGNOSIS = "This app does not diagnose; it repeats what its source articles advise."

KIND_COLOURS = {  # text colour on white, all with contrast ratio >= 4.5
    "relief": "#00695c",
    "prevention": "#0b5cad",
    "cause": "#6a4c93",
    "doctor": "#a4262c",
}


def sources_line(kb: KnowledgeBase, tip: Tip) -> str:
    cites = "; ".join(escape(s.citation()) for s in kb.sources_of(tip))
    label = "Source" if len(tip.sources) == 1 else "Sources"
    return f"<span style='color:#555'>{label}: {cites}</span>"


def tip_block(
    kb: KnowledgeBase, tip: Tip, reasons=(), show_kind: bool = True, show_sources: bool = True
) -> str:
    """One tip as a paragraph block: title, kind and factors, text, reasons, sources."""
    colour = KIND_COLOURS.get(tip.kind, "#333")
    head = f"<b style='font-size:large'>{escape(tip.title)}</b>"
    if show_kind:
        tags = " · ".join(escape(f) for f in tip.factor_labels)
        head += f"&nbsp;&nbsp;<span style='color:{colour}'>{escape(tip.kind_label)}</span>" + (
            f"<span style='color:#555'> · {tags}</span>" if tags else ""
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
        return f"<p style='color:#555'>{escape(empty)}</p>"
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
    for source in kb.sources.values():
        used = sum(1 for t in kb.tips if source.id in t.sources)
        rows = "".join(
            f"<tr><td style='color:#555; padding-right:12px'>{escape(k)}</td>"
            f"<td>{escape(v)}</td></tr>"
            for k, v in source.details()
        )
        table = f"<table>{rows}</table>" if rows else ""
        blocks.append(
            f"<p style='margin-bottom:2px'><b style='font-size:large'>"
            f"{escape(source.title)}</b></p>{table}"
            f"<p style='color:#555'>Advice from it appears in {used} "
            f"tip{'s' if used != 1 else ''}.</p>"
        )
    return "<hr>".join(blocks)
