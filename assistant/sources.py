"""What users see of a source, in one type and one set of formats.

A ``Source`` is where a statement comes from: a document (a user's file, an instrument
card, a Working Group record) at one locator, with the fields a reader needs to weigh it.
A ``Citation`` is a Source numbered in an answer. The answers, the command line, the app
and the tools all format them with ``cite`` and ``describe``, so a source reads the same
everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.citeforms import locator_text
from assistant.messages import MESSAGES, message
from indexer.models import Hit


@dataclass
class Source:
    doc_id: str = ""
    title: str = ""
    locator: str = ""
    short_title: str = ""
    symbol: str = ""
    url: str = ""
    year: int | None = None
    jurisdiction: str = ""
    binding: str = "unknown"
    type: str = ""
    language: str = ""
    status: str = ""
    pages: str = ""
    passage_id: str = ""
    text: str = ""  # the passage or card point the statement rests on
    source_path: str = ""
    kind: str = ""  # "measure", "guiding-question" for the project's own records
    state: str = ""  # on the answer's date, when not in force: "not yet adopted on 2024-01-01"
    checked: str = ""  # the day the card's status was last checked (ISO)
    caveats: list[str] = field(default_factory=list)  # the card's unverified notes on this point
    versions: dict[str, str] = field(default_factory=dict)  # language → the same paragraph's id

    @classmethod
    def from_hit(cls, hit: Hit, **extra: Any) -> Source:
        return cls(
            doc_id=hit.doc_id,
            title=hit.title,
            locator=hit.locator,
            short_title=hit.short_title,
            symbol=hit.symbol,
            url=hit.url,
            year=hit.year,
            jurisdiction=hit.jurisdiction,
            binding=hit.binding,
            type=hit.type,
            language=hit.language,
            status=hit.status,
            pages=hit.pages,
            passage_id=hit.passage_id,
            text=hit.text,
            source_path=hit.source_path,
            versions=dict(hit.versions),
            **extra,
        )

    @property
    def name(self) -> str:
        return self.short_title or self.title


@dataclass
class Citation(Source):
    """A source as the ``n``-th citation of an answer (``[n]`` in its text)."""

    n: int = 0

    @classmethod
    def from_hit(cls, hit: Hit, n: int = 0) -> Citation:  # type: ignore[override]
        return super().from_hit(hit, n=n)  # type: ignore[return-value]


def describe(source: Source, lang: str = "en") -> str:
    """``2015, GB, binding, in force, status checked 2026-11-29``: the year, jurisdiction and
    legal force of a source, its status (or its state on the answer's date) and the day a
    card's status was last checked."""
    binding = message(
        f"binding_{source.binding if source.binding in ('yes', 'no') else 'unknown'}", lang
    )
    parts = [str(source.year or message("no_date", lang)), source.jurisdiction or "-", binding]
    if source.state:  # not in force on the answer's date
        parts.append(source.state)
    elif source.status and f"status_{source.status}" in MESSAGES:
        parts.append(message(f"status_{source.status}", lang))
    if source.checked:
        parts.append(message("checked", lang, on=source.checked))
    return ", ".join(parts)


def cite(source: Source, lang: str = "en", style: str = "full") -> str:
    """A source as text.

    - ``full``: ``s. 54(2) — Modern Slavery Act 2015 (2015, GB, binding)`` (answers, CLI);
    - ``entry``: ``Modern Slavery Act 2015, s. 54(2), 2015, GB, binding — url`` (a list of
      sources: briefing packs, exports);
    - ``short``: ``Modern Slavery Act 2015, s. 54(2)`` (tables, quizzes, gap reports).
    """
    locator = locator_text(source.locator, lang)
    if style == "full":
        return f"{locator or '-'} — {source.title} ({describe(source, lang)})" + also_in(
            source, lang
        )
    if style == "entry":
        text = f"{source.title}, {locator or '-'}, {describe(source, lang)}" + also_in(source, lang)
        return text + (f" — {source.url}" if source.url else "")
    title = source.title + (f" ({source.symbol})" if source.symbol else "")
    return f"{title}, {locator}" if locator else title


def also_in(source: Source, lang: str = "en") -> str:
    """`` · also in: EN · FR`` when the store holds the same paragraph in other languages."""
    if not source.versions:
        return ""
    langs = " · ".join(code.upper() for code in sorted(source.versions))
    return " · " + message("also_in", lang, langs=langs)
