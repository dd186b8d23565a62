"""The tips knowledge base: advice from the five source articles, in our own words.

resources/tips.json holds the tips, resources/sources.json the articles they come from. Both are
validated on load so a tip without a source, or tagged with a factor nobody knows, can never
reach the screen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date as date_type
from functools import lru_cache
from pathlib import Path

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
    one when the article has none (``title_given`` is False). ``internal_note`` records how we
    read our copy of the article; it stays in the data file and is never shown."""

    id: str
    title: str
    title_given: bool
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


def parse_sources(data: dict) -> dict[str, Source]:
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
            title_given=bool(raw.get("title_given", True)),
            author=raw.get("author"),
            date=raw.get("date"),
            experts=tuple(raw.get("experts", ())),
            internal_note=raw.get("internal_note", ""),
        )
    if not sources:
        raise KnowledgeError("sources: the list is empty")
    return sources


def parse_tips(data: dict, sources: dict[str, Source]) -> tuple[Tip, ...]:
    """Check every tip against the schema; raise KnowledgeError naming the first bad one."""
    tips: list[Tip] = []
    seen: set[str] = set()
    for raw in data.get("tips", []):
        tid = raw.get("id") if isinstance(raw, dict) else None
        if not tid or not isinstance(tid, str):
            raise KnowledgeError(f"a tip has no id: {raw!r}")
        missing = _TIP_KEYS - set(raw)
        if missing:
            raise KnowledgeError(f"tip {tid!r}: missing {', '.join(sorted(missing))}")
        extra = set(raw) - _TIP_KEYS
        if extra:
            raise KnowledgeError(f"tip {tid!r}: unknown field(s) {', '.join(sorted(extra))}")
        if tid in seen:
            raise KnowledgeError(f"tip {tid!r} is listed twice")
        seen.add(tid)
        if not raw["title"].strip() or not raw["text"].strip():
            raise KnowledgeError(f"tip {tid!r}: title and text must not be empty")
        if not 1 <= count_sentences(raw["text"]) <= MAX_SENTENCES:
            raise KnowledgeError(f"tip {tid!r}: text must be 1 to {MAX_SENTENCES} sentences")
        if raw["kind"] not in vocab.TIP_KINDS:
            raise KnowledgeError(f"tip {tid!r}: unknown kind {raw['kind']!r}")
        unknown = [f for f in raw["factors"] if f not in vocab.TIP_FACTORS]
        if unknown or not isinstance(raw["factors"], list):
            raise KnowledgeError(f"tip {tid!r}: unknown factor(s) {unknown}")
        if len(set(raw["factors"])) != len(raw["factors"]):
            raise KnowledgeError(f"tip {tid!r}: a factor is listed twice")
        if not raw["sources"]:
            raise KnowledgeError(f"tip {tid!r}: has no source")
        bad = [s for s in raw["sources"] if s not in sources]
        if bad:
            raise KnowledgeError(f"tip {tid!r}: unknown source(s) {bad}")
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
