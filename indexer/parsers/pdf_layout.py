"""From positioned PDF text lines to blocks: no pypdf here, only layout rules.

The rules, in order: drop running headers/footers and page numbers; move the
small-font notes at the foot of a page into footnote blocks; take superscript
digits out of the text into ``refs``; mark headings (larger or bold type,
all-caps, roman numerals); join the remaining lines into paragraphs.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from indexer.models import Block
from indexer.parsers.textutil import BULLET, clean, heading_level, join_lines, starts_paragraph

_PAGE_NUMBER = re.compile(
    r"^(?:page|p\.|pág\.?|página)?\s*[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—]?"
    r"\s*(?:(?:/|of|de|sur)\s*\d{1,4})?$",
    re.I,
)
_SEPARATOR = re.compile(r"^[_\-–—.\s]{5,}$")
_NOTE_START = re.compile(r"^(\d{1,3}|\*{1,3})\s+(\S.*)$")
_REF_TEXT = re.compile(r"^\s*(\d{1,3}(?:\s*,\s*\d{1,3})*|\*{1,3})\s*$")
EDGE = 0.075  # running headers and footers sit in this fraction of the page height, top or bottom
SMALL = 0.88  # a note or superscript is set at most this fraction of the body size


@dataclass
class Span:
    """A run of text as pypdf reports it: position of its start, effective font size, boldness."""

    text: str
    x: float | None
    y: float | None
    size: float
    bold: bool = False


@dataclass
class Line:
    spans: list[Span] = field(default_factory=list)

    @property
    def text(self) -> str:
        return clean("".join(s.text for s in self.spans))

    @property
    def size(self) -> float:
        """The font size carrying most of the line's characters."""
        weights: Counter[float] = Counter()
        for s in self.spans:
            weights[round(s.size * 2) / 2] += len(s.text.strip())
        return weights.most_common(1)[0][0] if weights else 0.0

    @property
    def bold(self) -> bool:
        bold = sum(len(s.text.strip()) for s in self.spans if s.bold)
        return bold > 0 and bold >= 0.8 * sum(len(s.text.strip()) for s in self.spans)

    @property
    def y(self) -> float | None:
        size = self.size
        ys = [s.y for s in self.spans if s.y is not None and abs(s.size - size) < 0.6]
        ys = ys or [s.y for s in self.spans if s.y is not None]
        return ys[0] if ys else None


@dataclass
class Page:
    number: int  # 1-based
    height: float
    lines: list[Line]


def body_size(pages: list[Page]) -> float:
    """The most common font size of the document, by characters."""
    weights: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            for s in line.spans:
                weights[round(s.size * 2) / 2] += len(s.text.strip())
    return weights.most_common(1)[0][0] if weights else 0.0


def _edge_positions(page: Page) -> set[int]:
    """Indexes of lines that may be running headers or footers.

    With positions: the lines in the top or bottom 7.5% of the page, where headers,
    footers and page numbers sit above and below the text block (footnotes stay
    inside it). Without positions: the first and last two lines in reading order.
    """
    n = len(page.lines)
    if not page.height or all(line.y is None for line in page.lines):
        return set(range(min(2, n))) | set(range(max(0, n - 2), n))
    margin = EDGE * page.height
    return {
        i
        for i, line in enumerate(page.lines)
        if line.y is not None and (line.y > page.height - margin or line.y < margin)
    }


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.casefold()).strip()


def remove_running_lines(pages: list[Page]) -> None:
    """Drop page numbers, and lines repeated (digits aside) at the top or bottom of most pages."""
    edges = [_edge_positions(page) for page in pages]
    seen: Counter[str] = Counter()
    for page, idx in zip(pages, edges, strict=True):
        seen.update({_running_key(page.lines[i].text) for i in idx if page.lines[i].text})
    threshold = max(2, math.ceil(0.5 * len(pages)))
    for page, idx in zip(pages, edges, strict=True):
        keep = []
        for i, line in enumerate(page.lines):
            text = line.text
            if i in idx and (
                _PAGE_NUMBER.match(text)
                or (len(pages) > 1 and seen[_running_key(text)] >= threshold)
            ):
                continue
            keep.append(line)
        page.lines = keep


def _ref_spans(line: Line, size: float) -> tuple[list[int], list[str]]:
    """Indexes and values of footnote calls: small digits raised above the line, or glued
    to the word before them (a rise set with ``Ts`` does not show in the position)."""
    base_y = line.y
    idx, refs = [], []
    for i, s in enumerate(line.spans):
        match = _REF_TEXT.match(s.text)
        if not match or s.size >= SMALL * size or i == 0:
            continue
        known = base_y is not None and s.y is not None
        raised = not known or s.y > base_y + 0.5  # type: ignore[operator]
        lowered = known and s.y < base_y - 0.5  # type: ignore[operator]  # CO2: a subscript
        glued = not s.text[:1].isspace() and line.spans[i - 1].text[-1:].isalnum()
        if not lowered and (raised or glued):
            idx.append(i)
            refs.extend(m.strip() for m in match.group(1).split(","))
    return idx, refs


def split_footnotes(page: Page, size: float) -> tuple[list[Line], list[Line]]:
    """Body lines and footnote lines of a page.

    Footnotes are the small-type lines below all body-size text (the page's bottom
    margin aside), or the small lines after a ``_____`` separator, provided one of
    them starts with a note number. Lines before the first number continue a note
    from the previous page.
    """
    lines = page.lines
    sep = next((i for i, line in enumerate(lines) if _SEPARATOR.match(line.text)), None)
    if sep is not None:
        after = lines[sep + 1 :]
        if any(_note_marker(n) for n in after) and all(
            _note_marker(n) or 0 < n.size < SMALL * size for n in after
        ):
            return lines[:sep], after
    margin = EDGE * page.height
    body_ys = [
        line.y
        for line in lines
        if line.y is not None and line.size >= SMALL * size and line.y >= margin and line.text
    ]
    floor = min(body_ys) if body_ys else None
    notes, body = [], []
    for line in lines:
        small = 0 < line.size < SMALL * size
        below = floor is None or (line.y is not None and line.y < floor)
        (notes if small and below else body).append(line)
    if floor is None:  # no positions: only a trailing run of small lines can be notes
        tail = len(lines)
        while tail > 0 and 0 < lines[tail - 1].size < SMALL * size:
            tail -= 1
        body, notes = lines[:tail], lines[tail:]
    if notes and all(n.y is not None for n in notes):
        notes.sort(key=lambda n: -(n.y or 0.0))
    if not any(_note_marker(n) for n in notes):
        return lines, []
    return body, notes


def _note_marker(line: Line) -> tuple[str, str] | None:
    """(marker, text) when a line opens a footnote: "3 Text" or a small raised "3" then text."""
    if len(line.spans) > 1 and _REF_TEXT.match(line.spans[0].text):
        rest = clean("".join(s.text for s in line.spans[1:]))
        if rest:
            return line.spans[0].text.strip(), rest
    match = _NOTE_START.match(line.text)
    return (match.group(1), match.group(2)) if match else None


def footnote_blocks(
    notes: list[Line], page: int, previous: Block | None
) -> tuple[list[Block], Block | None]:
    """Footnote blocks of one page; lines before the first marker continue the previous
    page's last footnote, which is returned updated (or None if unchanged)."""
    blocks: list[Block] = []
    marker, lines = "", []
    updated = None
    for line in notes:
        opened = _note_marker(line)
        if opened:
            if lines:
                blocks.append(Block(join_lines(lines), kind="footnote", page=page, marker=marker))
            marker, lines = opened[0], [opened[1]]
        elif lines:
            lines.append(line.text)
        elif previous is not None:
            previous = updated = Block(
                join_lines([previous.text, line.text]),
                kind="footnote",
                page=previous.page,
                marker=previous.marker,
            )
    if lines:
        blocks.append(Block(join_lines(lines), kind="footnote", page=page, marker=marker))
    return blocks, updated


def _heading_kind(text: str, line: Line, size: float) -> bool:
    if not text or len(text) > 150 or text[0].islower() or re.search(r"[.,;:]$", text):
        return False
    if line.size >= 1.15 * size:
        return True
    if line.bold and len(text) <= 120 and not re.match(r"^\d{1,3}\.\s", text):
        return True
    return heading_level(text) > 0


def page_blocks(page: Page, size: float, heading_sizes: list[float]) -> list[Block]:
    """Headings, items and paragraphs of a page's body lines, in reading order."""
    gaps = [
        a.y - b.y
        for a, b in zip(page.lines, page.lines[1:], strict=False)
        if a.y is not None
        and b.y is not None
        and 0 < a.y - b.y < 3 * size
        and abs(b.size - size) < 0.6
    ]
    leading = sorted(gaps)[len(gaps) // 2] if gaps else 0.0
    blocks: list[Block] = []
    para: list[str] = []
    refs: list[str] = []
    prev: Line | None = None

    def flush() -> None:
        if para:
            text = join_lines(para)
            if BULLET.match(text):
                blocks.append(
                    Block(
                        BULLET.sub("", text, count=1),
                        kind="item",
                        page=page.number,
                        refs=tuple(refs),
                    )
                )
            elif text:
                blocks.append(Block(text, page=page.number, refs=tuple(dict.fromkeys(refs))))
        para.clear()
        refs.clear()

    for line in page.lines:
        skip, line_refs = _ref_spans(line, size)
        text = clean("".join(s.text for i, s in enumerate(line.spans) if i not in skip))
        if not text:
            continue
        last = blocks[-1] if blocks else None
        if (
            not para
            and last is not None
            and last.kind == "heading"
            and prev is not None
            and _continues_heading(prev, line, text, size, leading)
        ):
            joined = join_lines([last.text, text])
            blocks[-1] = Block(joined, kind="heading", page=page.number, level=last.level)
            prev = line
            continue
        if _heading_kind(text, line, size):
            flush()
            level = _level(line, size, heading_sizes)
            blocks.append(Block(text, kind="heading", page=page.number, level=level))
            prev = line
            continue
        gap = (
            prev.y - line.y
            if prev is not None and prev.y is not None and line.y is not None
            else 0.0
        )
        big_gap = leading > 0 and (gap > 1.45 * leading or gap < -0.5 * leading)
        if para and (big_gap or starts_paragraph(text, para[-1], para[0])):
            flush()
        para.append(text)
        refs.extend(line_refs)
        prev = line
    flush()
    return blocks


def _continues_heading(prev: Line, line: Line, text: str, size: float, leading: float) -> bool:
    """A line set like the heading line above it, close below it, and not numbered itself:
    the second line of a heading that wraps."""
    styled = line.bold or line.size >= 1.15 * size
    same_style = abs(prev.size - line.size) < 0.6 and prev.bold == line.bold
    close = prev.y is None or line.y is None or 0 < prev.y - line.y < 1.6 * max(leading, line.size)
    numbered = heading_level(text) > 0 or starts_paragraph(text, ".")
    return styled and same_style and close and not numbered and len(text) <= 150


def _level(line: Line, size: float, heading_sizes: list[float]) -> int:
    """1 for the largest heading type, 2 for the next, ...; body-size headings come last."""
    rounded = round(line.size * 2) / 2
    if rounded in heading_sizes:
        return min(heading_sizes.index(rounded) + 1, 6)
    return min(len(heading_sizes) + 1, 6)


def heading_sizes(pages: list[Page], size: float) -> list[float]:
    """Distinct heading font sizes larger than the body text, largest first."""
    sizes = {
        round(line.size * 2) / 2
        for page in pages
        for line in page.lines
        if line.size >= 1.15 * size and line.text
    }
    return sorted(sizes, reverse=True)
