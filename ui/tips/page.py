"""The Tips page: advice ranked for this person ("For you") and the whole library to browse.

Ranking needs a few queries, so the page recomputes only when it is shown after a change, never
on every save while it is hidden.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tracker.advice import doctor_rules, knowledge, tips
from tracker.advice.profile import load_profile
from tracker.diary import vocab
from ui.tips.tip_html import NOT_DIAGNOSIS, sources_html, tip_block, tips_document
from ui.widgets import theme

FOR_YOU_LIMIT = 12


def _browser(name: str) -> QTextBrowser:
    view = QTextBrowser()
    view.setOpenLinks(False)
    view.setAccessibleName(name)
    view.document().setDocumentMargin(12)
    return view


class TipsPage(QWidget):
    profile_requested = Signal()

    def __init__(self, store, kb: knowledge.KnowledgeBase | None = None, parent=None):
        super().__init__(parent)
        self.store = store
        self.kb = kb or knowledge.default()
        self.matches: list[tips.TipMatch] = []
        self._stale = True

        layout = QVBoxLayout(self)
        self.disclaimer = QLabel(NOT_DIAGNOSIS)
        self.disclaimer.setWordWrap(True)
        self.disclaimer.setAccessibleName("Not a diagnosis")
        self.disclaimer.setObjectName("notDiagnosis")
        layout.addWidget(self.disclaimer)

        self.sections = QTabWidget()
        self.sections.setAccessibleName("Tips sections")
        layout.addWidget(self.sections, 1)

        # For you
        for_you = QWidget()
        fy_layout = QVBoxLayout(for_you)
        fy_layout.setContentsMargins(0, 6, 0, 0)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.profile_button = QPushButton("Health profile (optional)…")
        self.profile_button.setToolTip(
            "Age range, conditions and medicines, kept only on this computer. All optional."
        )
        self.profile_button.clicked.connect(self.profile_requested.emit)
        top.addWidget(self.summary, 1)
        top.addWidget(self.profile_button)
        fy_layout.addLayout(top)
        self.for_you_view = _browser("Tips for you")
        fy_layout.addWidget(self.for_you_view, 1)
        self.sections.addTab(for_you, "For you")

        # Library
        library = QWidget()
        lib_layout = QVBoxLayout(library)
        lib_layout.setContentsMargins(0, 6, 0, 0)
        filters = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search tips, e.g. heels, night, magnesium")
        self.search_edit.setAccessibleName("Search tips")
        self.search_edit.setClearButtonEnabled(True)
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName("Kind of tip")
        self.kind_combo.addItem("All kinds", None)
        for code, text in vocab.TIP_KINDS.items():
            self.kind_combo.addItem(text, code)
        self.factor_combo = QComboBox()
        self.factor_combo.setAccessibleName("Related to")
        self.factor_combo.addItem("Anything", None)
        for code, text in vocab.TIP_FACTORS.items():
            self.factor_combo.addItem(text, code)
        filters.addWidget(QLabel("Search:"))
        filters.addWidget(self.search_edit, 1)
        filters.addWidget(QLabel("Kind:"))
        filters.addWidget(self.kind_combo)
        filters.addWidget(QLabel("Related to:"))
        filters.addWidget(self.factor_combo)
        lib_layout.addLayout(filters)
        self.library_count = QLabel()
        lib_layout.addWidget(self.library_count)
        self.library_view = _browser("Tips library")
        lib_layout.addWidget(self.library_view, 1)
        self.sections.addTab(library, "All tips")

        self.sources_view = _browser("Sources of the tips")
        self.sections.addTab(self.sources_view, "Sources")

        self.search_edit.textChanged.connect(self.refresh_library)
        self.kind_combo.currentIndexChanged.connect(self.refresh_library)
        self.factor_combo.currentIndexChanged.connect(self.refresh_library)
        self._styled = False
        theme.follow_palette(self, self._recolour)

    def _recolour(self) -> None:
        """Colours come from the palette: re-style and re-render when it changes."""
        self.disclaimer.setStyleSheet(
            theme.notice_style(theme.app_palette(), "info", "#notDiagnosis")
            + " #notDiagnosis { border-radius: 4px; padding: 6px 10px; }"
        )
        self.sources_view.setHtml(sources_html(self.kb))
        self.refresh_library()
        if self._styled:
            self.mark_stale()  # For you: recomputed now if shown, else when next shown
        self._styled = True

    # ----------------------------------------------------------------- data
    def set_store(self, store) -> None:
        self.store = store
        self.mark_stale()

    def mark_stale(self) -> None:
        """Recompute now if visible, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        episodes = tips.recent_episodes(self.store)
        profile = load_profile(self.store)
        findings = tips.pattern_insights(self.store) if episodes else []
        # The banner's reasons, from the same rule engine, rank their doctor advice first here.
        alerts = doctor_rules.alerts_now(self.store, profile, datetime.now().astimezone())
        self.matches = tips.rank(self.kb, episodes, findings, profile, alerts=alerts)[
            :FOR_YOU_LIMIT
        ]
        if not episodes:
            self.summary.setText(
                "Log a few cramps and the tips that fit your own situations will appear here."
            )
        else:
            n = len(episodes)
            basis = [f"your last {n} episode{'s' if n != 1 else ''}"]
            if findings:
                basis.append(f"your Patterns findings (last {tips.INSIGHT_DAYS} days)")
            if not profile.is_empty:
                basis.append("your health profile")
            joined = " and ".join([", ".join(basis[:-1]), basis[-1]] if len(basis) > 1 else basis)
            self.summary.setText(
                f"Chosen from {joined}. Tips that fit more of your episodes come first."
            )
        blocks = [tip_block(self.kb, m.tip, m.reasons) for m in self.matches]
        empty = (
            "Nothing in your recent episodes points to a particular tip yet. "
            "Browse All tips for general advice."
        )
        self.for_you_view.setHtml(tips_document(self.kb, blocks, empty))

    def refresh_library(self) -> None:
        found = self.kb.search(
            self.search_edit.text(), self.kind_combo.currentData(), self.factor_combo.currentData()
        )
        total = len(self.kb.tips)
        self.library_count.setText(f"{len(found)} of {total} tips")
        blocks = [tip_block(self.kb, t) for t in found]
        self.library_view.setHtml(
            tips_document(self.kb, blocks, "No tip matches this search. Try fewer words.")
        )

    def shown_ids(self) -> list[str]:
        return [m.tip.id for m in self.matches]
