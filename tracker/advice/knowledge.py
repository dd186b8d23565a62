"""The tips knowledge base: advice from the five source articles, in our own words.

resources/tips.json holds the tips, resources/sources.json the articles they come from. Both are
validated on load so a tip without a source, or tagged with a factor nobody knows, can never
reach the screen.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date as date_type
from functools import lru_cache
from pathlib import Path
from typing import Any

from tracker.diary import vocab

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
TIPS_FILE = RESOURCES / "tips.json"
SOURCES_FILE = RESOURCES / "sources.json"

MAX_SENTENCES = 3
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_TIP_KEYS = {"id", "title", "text", "kind", "factors", "sources"}


class KnowledgeError(ValueError):
    """The knowledge base files are malformed; the message names the tip and the problem."""


@dataclass(frozen=True)
class Source:
    """One article. ``title`` is what users see: the article's own title, or a plain descriptive
    one when the article has none (resources/sources.json says which with "title_given", which
    nothing reads). ``internal_note`` records how we read our copy of the article; it stays in
    the data file and is never shown."""

    id: str
    title: str
    author: str | None
    date: str | None
    experts: tuple[str, ...] = ()
    internal_note: str = ""

    @property
    def date_text(self) -> str | None:
        """The publication date as a reader writes it ("6 August 2021"), or None."""
        if not self.date:
            return None
        try:
            day = date_type.fromisoformat(self.date)
        except ValueError:
            return self.date
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"

    def citation(self) -> str:
        """A short reference as a reader expects it: the title, then the author and date where
        the article gives them. Nothing is said about what an article leaves out."""
        extra = ", ".join(p for p in (self.author, self.date_text) if p)
        return f"\u201c{self.title}\u201d" + (f" ({extra})" if extra else "")

    def details(self) -> list[tuple[str, str]]:
        """The facts a reader may want about the article, only those the article gives."""
        rows = []
        if self.author:
            rows.append(("Written by", self.author))
        if self.date_text:
            rows.append(("Published", self.date_text))
        if self.experts:
            rows.append(("Experts quoted", "; ".join(self.experts)))
        return rows


@dataclass(frozen=True)
class Tip:
    id: str
    title: str
    text: str
    kind: str
    factors: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def kind_label(self) -> str:
        return vocab.label(vocab.TIP_KINDS, self.kind)

    @property
    def factor_labels(self) -> tuple[str, ...]:
        return tuple(vocab.label(vocab.TIP_FACTORS, f) for f in self.factors)


@dataclass(frozen=True)
class KnowledgeBase:
    tips: tuple[Tip, ...]
    sources: dict[str, Source]

    def tip(self, tip_id: str) -> Tip:
        for tip in self.tips:
            if tip.id == tip_id:
                return tip
        raise KeyError(tip_id)

    def sources_of(self, tip: Tip) -> list[Source]:
        return [self.sources[s] for s in tip.sources]

    def search(
        self, text: str = "", kind: str | None = None, factor: str | None = None
    ) -> list[Tip]:
        """Tips whose title or text contain every word of ``text`` (any case), filtered."""
        words = text.lower().split()
        found = []
        for tip in self.tips:
            if kind and tip.kind != kind:
                continue
            if factor and factor not in tip.factors:
                continue
            haystack = f"{tip.title} {tip.text}".lower()
            if all(w in haystack for w in words):
                found.append(tip)
        return found


def count_sentences(text: str) -> int:
    """Sentences end with . ! or ? followed by a space or the end (good enough for our prose)."""
    stripped = text.strip()
    ends = sum(1 for i, ch in enumerate(stripped) if ch in ".!?" and stripped[i + 1 : i + 2] in " ")
    return max(ends, 1)


def parse_sources(data: Mapping[str, Any]) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for raw in data.get("sources", []):
        sid = raw.get("id")
        if not sid or not raw.get("title"):
            raise KnowledgeError(f"source {sid!r}: needs an id and a title")
        if sid in sources:
            raise KnowledgeError(f"source {sid!r} is listed twice")
        sources[sid] = Source(
            id=sid,
            title=raw["title"],
            author=raw.get("author"),
            date=raw.get("date"),
            experts=tuple(raw.get("experts", ())),
            internal_note=raw.get("internal_note", ""),
        )
    if not sources:
        raise KnowledgeError("sources: the list is empty")
    return sources


RawTip = Mapping[str, Any]
# A check of one tip: the problem ("unknown kind 'cure'"), or None when the tip passes.
TipCheck = Callable[[RawTip, Mapping[str, Source]], str | None]


def _missing_fields(raw: RawTip, sources: Mapping[str, Source]) -> str | None:
    missing = _TIP_KEYS - set(raw)
    return f"missing {', '.join(sorted(missing))}" if missing else None


def _unknown_fields(raw: RawTip, sources: Mapping[str, Source]) -> str | None:
    extra = set(raw) - _TIP_KEYS
    return f"unknown field(s) {', '.join(sorted(extra))}" if extra else None


def _empty_text(raw: RawTip, sources: Mapping[str, Source]) -> str | None:
    if not raw["title"].strip() or not raw["text"].strip():
        return "title and text must not be empty"
    return None


def _sentences(raw: RawTip, sources: Mapping[str, Source]) -> str | None:
    if not 1 <= count_sentences(raw["text"]) <= MAX_SENTENCES:
        return f"text must be 1 to {MAX_SENTENCES} sentences"
    return None


def _kind(raw: RawTip, sources: Mapping[str, Source]) -> str | None:
    return None if raw["kind"] in vocab.TIP_KINDS else f"unknown kind {raw['kind']!r}"


def _unknown_factors(raw: RawTip, sources: Mapping[str, Source]) -> str | None:
    unknown = [f for f in raw["factors"] if f not in vocab.TIP_FACTORS]
    if unknown or not isinstance(raw["factors"], list):
        return f"unknown factor(s) {unknown}"
    return None


def _repeated_factors(raw: RawTip, sources: Mapping[str, Source]) -> str | None:
    if len(set(raw["factors"])) != len(raw["factors"]):
        return "a factor is listed twice"
    return None


def _no_source(raw: RawTip, sources: Mapping[str, Source]) -> str | None:
    return None if raw["sources"] else "has no source"


def _unknown_sources(raw: RawTip, sources: Mapping[str, Source]) -> str | None:
    bad = [s for s in raw["sources"] if s not in sources]
    return f"unknown source(s) {bad}" if bad else None


# The schema of a tip, in the order it is checked: the first failing check names the problem.
# The fields must be exactly _TIP_KEYS before the id is checked for duplicates and before any
# field's content is looked at.
SHAPE_CHECKS: tuple[TipCheck, ...] = (_missing_fields, _unknown_fields)
CONTENT_CHECKS: tuple[TipCheck, ...] = (
    _empty_text,
    _sentences,
    _kind,
    _unknown_factors,
    _repeated_factors,
    _no_source,
    _unknown_sources,
)


def _first_problem(
    checks: Iterable[TipCheck], tid: str, raw: RawTip, sources: Mapping[str, Source]
) -> None:
    for check in checks:
        problem = check(raw, sources)
        if problem is not None:
            raise KnowledgeError(f"tip {tid!r}: {problem}")


def parse_tips(data: Mapping[str, Any], sources: Mapping[str, Source]) -> tuple[Tip, ...]:
    """Check every tip against the schema; raise KnowledgeError naming the first bad one."""
    tips: list[Tip] = []
    seen: set[str] = set()
    for raw in data.get("tips", []):
        tid = raw.get("id") if isinstance(raw, dict) else None
        if not tid or not isinstance(tid, str):
            raise KnowledgeError(f"a tip has no id: {raw!r}")
        _first_problem(SHAPE_CHECKS, tid, raw, sources)
        if tid in seen:
            raise KnowledgeError(f"tip {tid!r} is listed twice")
        seen.add(tid)
        _first_problem(CONTENT_CHECKS, tid, raw, sources)
        tips.append(
            Tip(
                id=tid,
                title=raw["title"].strip(),
                text=raw["text"].strip(),
                kind=raw["kind"],
                factors=tuple(raw["factors"]),
                sources=tuple(raw["sources"]),
            )
        )
    if not tips:
        raise KnowledgeError("tips: the list is empty")
    return tuple(tips)


def load(tips_file: Path = TIPS_FILE, sources_file: Path = SOURCES_FILE) -> KnowledgeBase:
    """Read and validate both files; raise KnowledgeError with a clear message if either is bad."""
    try:
        sources_data = json.loads(Path(sources_file).read_text(encoding="utf-8"))
        tips_data = json.loads(Path(tips_file).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise KnowledgeError(f"cannot read the tips knowledge base: {exc}") from exc
    sources = parse_sources(sources_data)
    return KnowledgeBase(tips=parse_tips(tips_data, sources), sources=sources)


@lru_cache(maxsize=1)
def default() -> KnowledgeBase:
    """The shipped knowledge base, loaded once per process."""
    return load()
