"""The bundled knowledge base read as data: instrument cards and Working Group records.

A card's body is a list of numbered points, ``3. Exclusion ground (art. 57(1)(f)): ...``;
each becomes a ``Point`` whose ``locator`` is the very string the indexer gives the
passage (``point 3 (art. 57(1)(f))``), so a table cell, a gap-report example or a quiz
answer can be found again in the index and in the app's citations.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.sources import Source
from indexer.locators import card_point, locator_for
from indexer.models import binding_value
from indexer.parsers.markdown import markdown_blocks, split_front_matter
from indexer.parsers.text import read_text
from indexer.sentences import sentence_spans
from indexer.settings import BUNDLED_CORPUS

# A label is the two-to-four words before the reference and the colon; more than
# eight words means the "label" is really a sentence that happens to hold a colon.
_LABEL = re.compile(
    r"^\d{1,3}\.\s+(?P<label>[^:(\n]{1,80}?)\s*(?:\([^\n]*?\))?\s*:\s+(?P<text>.*)$", re.S
)
_NUMBERED = re.compile(r"^(\d{1,3})\.\s+(?P<text>.*)$", re.S)
_SUMMARIES = {"résumé": "fr", "resume": "fr", "resumen": "es"}
# The body again in French and Spanish, point by point, with the English locators.
_TRANSLATIONS = {"français": "fr", "francais": "fr", "español": "es", "espanol": "es"}


@dataclass(frozen=True)
class Point:
    """One numbered point of a card: ``n``, its label and reference, and the statement after the colon."""

    n: int
    label: str
    ref: str
    text: str
    locator: str

    @property
    def full_text(self) -> str:
        """The point as written (and as indexed): ``3. Label (ref): text``."""
        head = self.label + (f" ({self.ref})" if self.ref else "")
        return f"{self.n}. {head}: {self.text}" if head else f"{self.n}. {self.text}"


@dataclass
class Record:
    """One file of ``corpus/``: an instrument card (``record == "instrument"``) or a WG record.

    ``front`` keeps every front-matter field, so record-specific ones (``theme``,
    ``examples``, ``question_fr`` ...) are read with ``get``.
    """

    id: str
    record: str
    title: str
    short_title: str
    symbol: str
    type: str
    jurisdiction: str
    adopted: str
    year: int | None
    status: str
    status_as_of: str
    binding: str
    url: str
    topics: list[str]
    points: list[Point]
    heading: str = ""
    summary_fr: str = ""
    summary_es: str = ""
    translations: dict[str, list[Point]] = field(default_factory=dict)  # "fr"/"es" → points
    path: str = ""
    front: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def label(self) -> str:
        """How an answer names it: the short title, else the title."""
        return self.short_title or self.title

    def get(self, key: str, default: Any = None) -> Any:
        value = self.front.get(key, default)
        return default if value is None else value

    def source(self, point: Point | None = None, text: str | None = None) -> Source:
        """This card or record as a source, at one of its points (or as a whole)."""
        return Source(
            doc_id=self.id,
            title=self.label,
            locator=point.locator if point else "",
            short_title=self.short_title,
            symbol=self.symbol,
            url=self.url,
            year=self.year,
            jurisdiction=self.jurisdiction,
            binding=self.binding,
            type=self.type,
            status=self.status,
            text=text if text is not None else (point.text if point else ""),
            kind=self.record,
        )

    def ids(self, key: str) -> list[str]:
        """A front-matter list of ids (``examples``, ``recommended_by``), always a list of strings."""
        value = self.front.get(key) or []
        if isinstance(value, str):
            value = [value]
        return [str(v).strip() for v in value if str(v).strip()]

    def point(self, n: int, lang: str = "en") -> Point | None:
        """Point ``n`` in English, or in ``lang`` when the card has that translation."""
        points = self.translations.get(lang) or self.points
        return next((p for p in points if p.n == n), None)


@dataclass
class Corpus:
    """Every card and record of a corpus folder, by id."""

    root: str
    records: dict[str, Record]

    @property
    def instruments(self) -> list[Record]:
        return [r for r in self.records.values() if r.record == "instrument"]

    def of_kind(self, record: str) -> list[Record]:
        return [r for r in self.records.values() if r.record == record]

    def get(self, record_id: str) -> Record | None:
        return self.records.get(record_id)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value).strip()


def parse_point(text: str) -> Point | None:
    """The ``Point`` of one numbered paragraph, or None when the text is not a numbered point.

    Number and reference come from the indexer's own reading (``card_point``) and the
    locator from its ``locator_for``, so both always agree with the stored passages.
    """
    text = text.strip()
    numbered = _NUMBERED.match(text)
    if not numbered:
        return None
    found = card_point(text)
    n, ref = (found[0], found[1]) if found else (numbered.group(1), "")
    label, body = "", numbered.group("text").strip()
    m = _LABEL.match(text)
    if m and len(m.group("label").split()) <= 8:
        label, body = m.group("label").strip(), m.group("text").strip()
    elif ref:
        # a reference without a label: "2. (art. 5): ..." — drop the "(ref):" head
        body = re.sub(r"^\([^\n]*?\)\s*:\s*", "", body)
    locator = locator_for([("num_dot", n)], 0, anchor=None, card_ref=ref)
    return Point(n=int(n), label=label, ref=ref, text=body, locator=locator)


def parse_record(path: Path) -> Record:
    """A card or record file read into a ``Record`` (raises DocumentError on bad front matter)."""
    front, body = split_front_matter(read_text(path), path)
    status = front.get("status")
    status_value = status.get("value") if isinstance(status, dict) else status
    as_of = status.get("as_of") if isinstance(status, dict) else ""
    adopted = _text(front.get("adopted"))
    year_match = re.match(r"^(\d{4})", adopted) or re.match(r"^(\d{4})$", _text(front.get("year")))
    points: list[Point] = []
    translations: dict[str, list[Point]] = {}
    summaries: dict[str, list[str]] = {"fr": [], "es": []}
    heading, section, language = "", None, None
    for block in markdown_blocks(body):
        if block.kind == "heading":
            key = block.text.strip(" :#").casefold()
            section, language = _SUMMARIES.get(key), _TRANSLATIONS.get(key)
            if block.level == 1 and not heading:
                heading = block.text
            continue
        if section:
            summaries[section].append(block.text)
        elif block.kind == "para" and (point := parse_point(block.text)):
            (translations.setdefault(language, []) if language else points).append(point)
    topics = front.get("topics") or []
    return Record(
        id=_text(front.get("id")) or path.stem,
        record=_text(front.get("record")) or "instrument",
        title=_text(front.get("title")),
        short_title=_text(front.get("short_title")),
        symbol=_text(front.get("symbol")),
        type=_text(front.get("type")),
        # YAML 1.1 reads an unquoted NO (Norway) as false, as the indexer knows too
        jurisdiction="NO"
        if front.get("jurisdiction") is False
        else _text(front.get("jurisdiction")).upper(),
        adopted=adopted,
        year=int(year_match.group(1)) if year_match else None,
        status=_text(status_value),
        status_as_of=_text(as_of),
        binding=binding_value(front.get("binding")),
        url=_text(front.get("url")),
        topics=[str(t) for t in (topics if isinstance(topics, list) else [topics])],
        points=points,
        heading=heading,
        summary_fr=" ".join(summaries["fr"]),
        summary_es=" ".join(summaries["es"]),
        translations=translations,
        path=str(path),
        front=front,
    )


def _signature(root: Path) -> tuple[tuple[str, int], ...]:
    files = sorted(root.glob("*/*.md"))
    return tuple((str(f), f.stat().st_mtime_ns) for f in files)


@lru_cache(maxsize=4)
def _load(root: str, signature: tuple[tuple[str, int], ...]) -> Corpus:
    records: dict[str, Record] = {}
    for name, _ in signature:
        rec = parse_record(Path(name))
        records[rec.id] = rec
    return Corpus(root=root, records=records)


def load_corpus(root: str | Path | None = None) -> Corpus:
    """Every ``*.md`` one level below ``root`` (default: the bundled ``corpus/``), by id.

    Cached while no file changes, so the app can call it on every request.
    """
    base = Path(root) if root else BUNDLED_CORPUS
    return _load(str(base), _signature(base))


def shorten(text: str, limit: int = 250) -> str:
    """``text`` cut to about ``limit`` characters: whole sentences when the first fits, else a
    clause or word boundary followed by "…". Never adds words."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    # the indexer's splitter knows "s. 54" and "art. 5" are not sentence ends
    ends = [end for _, end in sentence_spans(text) if end <= limit]
    if ends and ends[-1] >= limit * 0.3:
        return text[: ends[-1]].rstrip()
    window = text[: limit + 1]
    for pattern in (r"[;:](?=\s)", r",(?=\s)"):
        cuts = [m.start() for m in re.finditer(pattern, window) if m.start() >= limit * 0.4]
        if cuts:
            return window[: cuts[-1]].rstrip() + " …"
    return window.rsplit(" ", 1)[0].rstrip(",;:") + " …"
