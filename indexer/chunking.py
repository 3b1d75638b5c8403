"""Blocks of a parsed document → citable passages, following the document's own structure.

Pure functions: no I/O, no model. ``indexer.outline`` reads the blocks into units
(what the document numbers, or unnumbered text grouped under its heading) and
footnotes; this module attaches each footnote after the unit citing it, splits
over-long units on sentence boundaries with overlap, and gives every passage its
``seq`` and a unique, stable ``passage_id``. ``split_sentences`` is re-exported for
the answer composer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.models import Block, Document, Passage, passage_id
from indexer.outline import Note, Outline, Unit, read_outline
from indexer.sentences import split_long, split_sentences

__all__ = ["CHUNKER_VERSION", "chunk_blocks", "split_sentences"]

CHUNKER_VERSION = "5"  # 3: "res. 76/7" ends no sentence; 4: card links, notes, check date kept;
# 5: Arabic and Chinese sentence ends (؟ 。！？)


@dataclass
class _Draft:
    """A passage before its id is known; cross-references are draft indices."""

    text: str
    locator: str
    kind: str
    language: str
    pages: list[int]
    heading_path: tuple[str, ...]
    part: int = 0
    notes: list[int] = field(default_factory=list)  # draft indices of its footnotes
    cited_by: int | None = None


def _citing_unit(note: Note, refs: dict[str, list[tuple[int, int]]]) -> int | None:
    """The unit that cites a footnote: the last reference before it, else the first after, else the fallback."""
    cites = refs.get(note.marker, []) if note.marker else []
    before = [u for b, u in cites if b < note.block_index]
    if before:
        return before[-1]
    after = [u for b, u in cites if b > note.block_index]
    return after[0] if after else note.fallback


def _drafts(outline: Outline, max_chars: int, overlap: int) -> list[_Draft]:
    """Units and footnotes as passage drafts in document order, footnotes after their citing unit."""
    attached: dict[int, list[Note]] = {}
    orphans: list[Note] = []
    for note in outline.notes:
        unit = _citing_unit(note, outline.refs)
        (orphans if unit is None else attached.setdefault(unit, [])).append(note)
    drafts: list[_Draft] = []

    def emit(
        text: str, locator: str, kind: str, language: str, pages: list[int], path: tuple[str, ...]
    ) -> list[int]:
        parts = split_long(text, max_chars, overlap)
        start = len(drafts)
        for n, part in enumerate(parts, 1):
            drafts.append(
                _Draft(part, locator, kind, language, pages, path, n if len(parts) > 1 else 0)
            )
        return list(range(start, len(drafts)))

    def emit_note(note: Note, owner: Unit | None, owner_first: int | None) -> list[int]:
        mark = note.marker or str(outline.notes.index(note) + 1)
        locator = f"{owner.locator}, fn. {mark}" if owner else f"fn. {mark}"
        pages = [note.page] if note.page is not None else []
        path = owner.heading_path if owner else note.heading_path
        ids = emit(note.text, locator, "footnote", outline.doc.language, pages, path)
        for j in ids:
            drafts[j].cited_by = owner_first
        return ids

    pending = sorted(orphans, key=lambda n: n.block_index)
    for index, unit in enumerate(outline.units):
        while pending and pending[0].block_index < unit.first_block:
            emit_note(pending.pop(0), None, None)
        own = emit(unit.text, unit.locator, unit.kind, unit.language, unit.pages, unit.heading_path)
        for note in attached.get(index, []):
            ids = emit_note(note, unit, own[0])
            for j in own:
                drafts[j].notes.extend(ids)
    for note in pending:
        emit_note(note, None, None)
    return drafts


LEAD_CHARS = 240


def parent_locator(locator: str) -> str:
    """``s. 11(3)(c)`` → ``s. 11(3)``; ``para. 3 (a)`` → ``para. 3``; ``s. 2, "entity"`` → ``s. 2``."""
    m = re.match(r'^(.*?)(?:, "[^"]*"|\s?\([^()]*\))$', locator)
    return m.group(1) if m and m.group(1) else ""


def _leads(drafts: list[_Draft]) -> list[str]:
    """For each draft, the opening sentence of the unit above it (its parent provision)."""
    first_text: dict[str, str] = {}
    out = []
    for d in drafts:
        lead = ""
        parent = parent_locator(d.locator) if d.kind != "footnote" else ""
        while parent and not lead:
            lead = first_text.get(parent, "")
            parent = parent_locator(parent)
        if lead:
            sentences = split_sentences(lead) or [lead]
            lead = sentences[0][:LEAD_CHARS]
        out.append(lead)
        first_text.setdefault(d.locator, d.text)
        up = parent_locator(d.locator)
        if (
            up and d.kind != "footnote"
        ):  # "s. 6(1)" opens "s. 6", whose number has no unit of its own
            first_text.setdefault(up, d.text)
    return out


def chunk_blocks(
    blocks: list[Block], doc: Document, *, max_chars: int = 1400, overlap_sentences: int = 1
) -> list[Passage]:
    """The passages of ``doc``, in reading order (``seq`` 0, 1, ...), with unique ids.

    Every non-empty block's text ends up in a passage (footnotes in their own), except
    headings and title-only lines ("II. Questions", "22.1703 Policy."), which travel as
    ``heading_path``. A unit longer than
    ``max_chars`` becomes parts 1, 2, ... sharing its locator, with
    ``overlap_sentences`` sentences repeated from one part to the next.
    """
    drafts = _drafts(read_outline(blocks, doc, max_chars), max_chars, overlap_sentences)
    leads = _leads(drafts)
    ids: list[str] = []
    seen: set[str] = set()
    for seq, d in enumerate(drafts):
        key = f"{d.locator} [part {d.part}]" if d.part else d.locator
        pid = passage_id(doc.doc_id, d.text, key)
        if pid in seen:  # the same words under the same locator twice ("Deleted.")
            pid = passage_id(doc.doc_id, d.text, f"{key} [seq {seq}]")
        ids.append(pid)
        seen.add(pid)
    return [
        Passage(
            passage_id=ids[seq],
            doc_id=doc.doc_id,
            text=d.text,
            locator=d.locator,
            seq=seq,
            language=d.language,
            kind=d.kind,
            page_start=min(d.pages) if d.pages else None,
            page_end=max(d.pages) if d.pages else None,
            heading_path=d.heading_path,
            footnote_ids=tuple(ids[j] for j in d.notes),
            cited_by=ids[d.cited_by] if d.cited_by is not None else "",
            part=d.part,
            lead=leads[seq],
        )
        for seq, d in enumerate(drafts)
    ]
