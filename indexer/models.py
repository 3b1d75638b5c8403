"""The data model shared by the indexer, the assistant and the app.

One chain of small types: a parser turns a file into ``Block``s; the chunker
turns blocks into ``Passage``s of a ``Document``; retrieval returns ``Hit``s.
Every passage carries a ``locator`` (``para. 29 (a)``, ``art. 57(4)``,
``s. 54(5)``, ``p. 12``) that travels into every hit and every citation.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

DOC_TYPES = (
    "treaty",
    "legislation",
    "regulation",
    "resolution",
    "recommendation",
    "guidance",
    "toolkit",
    "report",
    "initiative",
    "other",
)
Binding = Literal["yes", "no", "unknown"]
BlockKind = Literal["heading", "para", "footnote", "table", "item"]


def normalise(text: str) -> str:
    """Text as compared for identity: NFKC, case-folded, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", " ", text).strip()


def passage_id(doc_id: str, text: str, locator: str = "") -> str:
    """Stable id: a hash of the document id, the locator and the normalised text.

    The locator is part of the key because two paragraphs of one document may
    hold the same words (``"Deleted."``) and must stay two passages.
    """
    key = f"{doc_id}\x1f{locator}\x1f{normalise(text)}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def binding_value(value: Any) -> Binding:
    """Map the many ways a sidecar may say it (true, 'binding', 'non') to yes/no/unknown."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value or "").strip().casefold()
    if text in {"yes", "true", "binding", "oui", "sí", "si", "1", "y"}:
        return "yes"
    if text in {"no", "false", "non-binding", "nonbinding", "non", "0", "n", "soft"}:
        return "no"
    return "unknown"


@dataclass(frozen=True)
class Block:
    """One structural unit of a parsed file, before chunking.

    ``page`` is 1-based where the format has pages (PDF), else None.
    ``marker`` is the footnote number for footnote blocks ("3"), and the
    footnote references found in a paragraph are listed in ``refs``.
    """

    text: str
    kind: BlockKind = "para"
    page: int | None = None
    level: int = 0
    marker: str = ""
    refs: tuple[str, ...] = ()


@dataclass
class Document:
    """A source document and its metadata, as stored in the manifest and on every passage."""

    doc_id: str
    title: str
    short_title: str = ""
    symbol: str = ""
    type: str = "other"
    jurisdiction: str = ""
    date: str = ""
    year: int | None = None
    binding: Binding = "unknown"
    status: str = ""
    language: str = ""
    source_path: str = ""
    url: str = ""
    sha256: str = ""
    aliases: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    collection: str = "user"
    events: list[dict[str, str]] = field(default_factory=list)  # indexer.events, date order
    related: list[str] = field(default_factory=list)  # ids of instruments a card links to
    unverified: list[str] = field(default_factory=list)  # a card's notes on what was not checked
    checked: str = ""  # the day a card's status was last checked (ISO)

    @property
    def label(self) -> str:
        return self.short_title or self.title


@dataclass
class Passage:
    """A citable unit of a document: a numbered paragraph, an article, a section, a footnote.

    ``text`` is the source text after cleaning, never rewritten. ``context`` is
    what is prepended for embedding (title and heading path) and never shown as
    a quotation.
    """

    passage_id: str
    doc_id: str
    text: str
    locator: str
    seq: int
    language: str = ""
    kind: str = "para"
    page_start: int | None = None
    page_end: int | None = None
    heading_path: tuple[str, ...] = ()
    footnote_ids: tuple[str, ...] = ()
    cited_by: str = ""
    part: int = 0
    lead: str = ""  # the opening of the unit this one belongs to ("(c) ..." under "(3) The report must ...")

    def embed_text(self, doc: Document) -> str:
        """The text given to the embedder: title, heading path, locator, the lead-in of the
        provision it belongs to, then the passage."""
        head = " > ".join(h for h in (doc.label, *self.heading_path[-2:]) if h)
        body = f"{self.lead} … {self.text}" if self.lead else self.text
        return f"{head} ({self.locator})\n{body}" if head else body

    @property
    def pages(self) -> str:
        if self.page_start is None:
            return ""
        if self.page_end in (None, self.page_start):
            return f"p. {self.page_start}"
        return f"pp. {self.page_start}-{self.page_end}"


@dataclass
class Hit:
    """A passage returned by retrieval, with the document fields a citation needs."""

    rank: int
    score: float
    passage_id: str
    doc_id: str
    title: str
    locator: str
    text: str
    language: str
    url: str
    type: str
    jurisdiction: str
    year: int | None
    binding: str
    short_title: str = ""
    symbol: str = ""
    status: str = ""
    pages: str = ""
    heading: str = ""
    kind: str = "para"
    seq: int = 0
    source_path: str = ""
    collection: str = ""
    scores: dict[str, float] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)  # language → the same paragraph's id
