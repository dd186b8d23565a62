"""A one-line panel of 1-3 tips shown after a cramp is logged.

Unobtrusive on purpose: it sits above the pages as one line (the tips' titles; "Details" opens
each tip with why it fits), takes no focus, never blocks the next log, and goes away with one
click (or is replaced by the next save's tips).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QPushButton

from tracker.advice import knowledge, tips
from tracker.diary.episode import Episode
from ui.tips.tip_html import SHORT_NOT_DIAGNOSIS, kind_colour
from ui.widgets import theme
from ui.widgets.notice_layout import build_notice, summary_line

SUBJECT = "This cramp "


def _join_reasons(reasons) -> str:
    """'This cramp was in high heels and came on while walking' rather than repeating the
    subject."""
    if len(reasons) > 1 and all(r.startswith(SUBJECT) for r in reasons):
        parts = [r[len(SUBJECT) :] for r in reasons]
        return SUBJECT + ", ".join(parts[:-1]) + " and " + parts[-1]
    return "; ".join(reasons)


class TipSuggestion(QFrame):
    more_requested = Signal()

    def __init__(self, kb: knowledge.KnowledgeBase | None = None, parent=None):
        super().__init__(parent)
        self.kb = kb or knowledge.default()
        self.matches: list[tips.TipMatch] = []
        self.setObjectName("tipSuggestion")
        self.setAccessibleName("Tips for this cramp")
        theme.keep_notice_style(self, "tip", "#tipSuggestion", self._recolour)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        parts = build_notice(self, "Tips that may fit this cramp:")
        self.summary, self.body, self.details_button = (
            parts.summary,
            parts.body,
            parts.details_button,
        )
        self.details_button.setAccessibleName("Details of the tips")
        self.details_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        buttons = parts.buttons
        self.more_button = QPushButton("More tips")
        self.more_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.more_button.clicked.connect(self.more_requested.emit)
        self.more_button.clicked.connect(self.hide)
        self.close_button = QPushButton("Dismiss")
        self.close_button.setAccessibleName("Dismiss tips")
        self.close_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.close_button.clicked.connect(self.hide)
        buttons.addWidget(self.more_button)
        buttons.addWidget(self.close_button)
        self.hide()

    def show_for(self, episode: Episode, now=None, profile=None) -> None:
        """``profile``: the health profile, so advice about fluids or minerals carries its
        "check with your doctor first" caution where a condition calls for it."""
        self.matches = tips.suggest(self.kb, episode, now, profile=profile)
        if not self.matches:
            self.hide()
            return
        self.body.setText(self._body_html())
        line = summary_line([m.tip.title for m in self.matches])
        self.summary.set_full_text(line)
        whole = f"Tips that may fit this cramp: {line}. {SHORT_NOT_DIAGNOSIS}"
        self.summary.setToolTip(whole)
        self.summary.setAccessibleName("Tips for this cramp")
        self.summary.setAccessibleDescription(whole)
        self.setAccessibleDescription(whole)
        self.show()

    def _body_html(self) -> str:
        # Colours from the palette, readable on this notice's background, light or dark.
        colors = theme.notice_colors(theme.app_palette(), "tip")
        muted = colors["muted"].name()
        items = []
        for match in self.matches:
            tip = match.tip
            colour = kind_colour(tip.kind, colors["background"])
            why = _join_reasons(match.reasons)
            items.append(
                f"<li style='margin-bottom:2px'><b>{escape(tip.title)}</b> "
                f"<span style='color:{colour}'>({escape(tip.kind_label.lower())})</span>: "
                f"{escape(tip.text)} <span style='color:{muted}'>— {escape(why)}.</span></li>"
            )
        return (
            f"<ul style='margin-top:2px; margin-bottom:0'>{''.join(items)}</ul>"
            f"<span style='color:{muted}'>From the app's source articles (listed on the Tips "
            "page); not a diagnosis.</span>"
        )

    def _recolour(self) -> None:
        if self.matches:
            self.body.setText(self._body_html())

    def shown_ids(self) -> list[str]:
        return [m.tip.id for m in self.matches] if self.isVisible() else []
