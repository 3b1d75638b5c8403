"""Reading a parsed document's blocks into citable units, following its own numbering.

``read_outline`` walks the blocks once. Numbered blocks open units (``para. 12``,
``para. 3 (a)``, ``art. 57(1)(a)``, ``s. 54(4)``, ``52.222-50(h)(1)``, a card's
``point 3 (art. 57(1)(f))``); deeper items (roman, capital) stay in their parent; a
block that carries on a sentence across a page break or footnotes is rejoined to its
unit; unnumbered text is grouped under its heading up to ``max_chars``. Footnotes are
collected with the references that cite them. Numbering patterns are in
``indexer.locators``; turning units into passages is ``indexer.chunking``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.locators import (
    TERMINAL,
    Anchor,
    card_point,
    defined_term,
    is_structural_heading,
    label_type,
    label_valid,
    locator_for,
    makes_unit,
    para_heading_level,
    parse_anchor,
    push,
    raw_labels,
    strip_bullet,
    strip_marginal,
    title_only,
)
from indexer.models import Block, Document
from indexer.numbering import latin_numbering

_SECTIONS = {"résumé": ("résumé", "fr"), "resume": ("résumé", "fr"), "resumen": ("resumen", "es")}
# A card's body in another language, point by point: each point keeps the English locator.
_SECTIONS.update(
    {
        "français": ("points", "fr"),
        "francais": ("points", "fr"),
        "español": ("points", "es"),
        "espanol": ("points", "es"),
    }
)
_LEGAL_TYPES = {"legislation", "regulation", "treaty"}


@dataclass
class Unit:
    """A citable unit being built from one or more blocks."""

    locator: str
    heading_path: tuple[str, ...]
    first_block: int
    kind: str = "para"
    structured: bool = True  # located by numbering, not a size-limited group of paragraphs
    language: str = ""
    depth: int = 0  # outline depth below which labels are its children
    absorb: bool = False  # children labels stay inside (a definition's own list)
    text: str = ""
    pages: list[int] = field(default_factory=list)

    def add(self, text: str, joiner: str, page: int | None) -> None:
        self.text = f"{self.text}{joiner}{text}" if self.text else text
        if page is not None:
            self.pages.append(page)


@dataclass
class Note:
    """A footnote as read, waiting to be attached to the unit that cites it."""

    block_index: int
    marker: str
    text: str
    page: int | None
    heading_path: tuple[str, ...]
    fallback: int | None  # the unit being built when the footnote appeared


def _clean(text: str) -> str:
    """Whitespace collapsed within lines; line breaks kept (merged blocks, table rows)."""
    lines = (re.sub(r"[^\S\n]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _title_like(text: str) -> bool:
    return len(text) <= 80 and text[-1] not in TERMINAL and not text.endswith(("-", "—", "–"))


def _is_card(blocks: list[Block], doc: Document) -> bool:
    """A project card: under corpus/instruments or corpus/recommendations, or with a Résumé/Resumen section."""
    path = doc.source_path.replace("\\", "/")
    if "corpus/instruments/" in path or "corpus/recommendations/" in path:
        return True
    return any(b.kind == "heading" and b.text.strip(" :#").casefold() in _SECTIONS for b in blocks)


class Outline:
    """Reads blocks in order and builds units; the only mutable state of one chunking run."""

    def __init__(self, blocks: list[Block], doc: Document, max_chars: int) -> None:
        self.blocks, self.doc, self.max_chars = blocks, doc, max_chars
        self.units: list[Unit] = []
        self.notes: list[Note] = []
        self.refs: dict[str, list[tuple[int, int]]] = {}  # marker -> [(block index, unit index)]
        self.headings: list[tuple[int, str]] = []
        self.anchor: Anchor | None = None
        self.stack: list[tuple[str, str]] = []
        self.last_top: int | None = None  # last UN paragraph number, kept across headings
        self.card_ref: str | None = None
        self.unit: Unit | None = None  # the open unit; headings close it
        self.interrupted = False  # a footnote came since the open unit's last block
        self.section: tuple[str, str] | None = None  # (locator, language) under Résumé/Resumen
        self.section_level = 0
        self.card = _is_card(blocks, doc)
        self.definitions: list[tuple[str, str]] | None = None  # outline where definitions sit

    def run(self) -> None:
        for i, block in enumerate(self.blocks):
            text = _clean(block.text)
            if not text:
                continue
            if block.kind == "heading":
                self.heading(i, text, block.level)
            elif block.kind == "footnote":
                self.footnote(i, block, text)
            elif block.kind == "table":
                self.table(i, block, text)
            else:
                self.para(i, block, strip_bullet(text))

    # -- headings and anchors -------------------------------------------------

    def heading(self, i: int, text: str, level: int) -> None:
        level = level or 6
        self.unit, self.definitions = None, None
        self.headings = [h for h in self.headings if h[0] < level] + [(level, text)]
        key = text.strip(" :").casefold()
        if self.section and level <= self.section_level:
            self.section = None
        if self.card and key in _SECTIONS:
            self.section, self.section_level = _SECTIONS[key], level
            return
        if self.card:
            return
        anchor = parse_anchor(latin_numbering(text), heading=True, bare_ok=self._bare_ok(i))
        if anchor:
            self._set_anchor(anchor)
        elif is_structural_heading(latin_numbering(text)):
            self.anchor, self.stack = None, []
        elif self.anchor is None:
            self.stack = []  # a UN paper: letters restart, paragraph numbers run on (last_top)

    def _set_anchor(self, anchor: Anchor) -> None:
        self.unit, self.anchor, self.stack, self.last_top = None, anchor, [], None
        self.definitions = None

    def _bare_ok(self, i: int) -> bool:
        """Whether "54 Transparency ..." may be a section: legal documents, or when "(1)" follows."""
        if self.doc.type in _LEGAL_TYPES:
            return True
        for block in self.blocks[i + 1 : i + 4]:
            if block.kind in ("para", "item"):
                return bool(re.match(r"^\s*(?:\(1\)|1\.\s)", strip_marginal(block.text)))
        return False

    # -- footnotes and tables ---------------------------------------------------

    def footnote(self, i: int, block: Block, text: str) -> None:
        marker = block.marker.strip()
        if marker:
            # Parsers usually strip it; a leading "3 " or "<sup>3</sup>" would otherwise stay.
            mark = re.escape(marker)
            pattern = rf"^(?:<sup>\s*)?\[?\^?\\?{mark}\]?(?:\s*</sup>)?(?![\d\w])[.:)]?\s*"
            text = re.sub(pattern, "", text, count=1) or text
        current = len(self.units) - 1 if self.units else None
        self.notes.append(Note(i, marker, text, block.page, self._path(), current))
        self.interrupted = True

    def table(self, i: int, block: Block, text: str) -> None:
        if self.unit and self.unit.kind == "table":
            self.unit.add(text, "\n", block.page)
            return
        last = self.units[-1] if self.units else None
        if last and last.structured and last.kind == "para" and not self.section:
            locator = f"{last.locator}, table"
        elif block.page is not None:
            locator = f"table, p. {block.page}"
        else:
            locator = f'table under "{_short(self.headings[-1][1])}"' if self.headings else "table"
        self._open(i, locator, kind="table").add(text, "", block.page)

    # -- paragraphs -----------------------------------------------------------

    def para(self, i: int, block: Block, text: str) -> None:
        if self.section:
            self._section_para(i, block, text)
        elif not self.card and (level := para_heading_level(text)):
            self.heading(i, text, level)  # "II. Questions à examiner" set as a paragraph
            return
        elif not (self._anchored_para(i, block, text) or self._labelled(i, block, text)):
            self._unlabelled(i, block, text)
        self.interrupted = False
        for marker in block.refs:
            self.refs.setdefault(marker, []).append((i, len(self.units) - 1))

    def _section_para(self, i: int, block: Block, text: str) -> None:
        assert self.section is not None
        locator, language = self.section
        if locator == "points":
            if point := card_point(text):
                number, ref = point
                where = f"point {number}" + (f" ({ref})" if ref else "")
                self._open(i, where, language=language).add(text, "", block.page)
            elif self.unit is not None and self.unit.language == language:
                self.unit.add(text, "\n", block.page)  # a sub-item of the point
            return
        if self.unit and self.unit.locator == locator:
            self.unit.add(text, "\n", block.page)
        else:
            self._open(i, locator, language=language).add(text, "", block.page)

    def _anchored_para(self, i: int, block: Block, text: str) -> bool:
        """An anchor with a body ("Article 5. Each State ...", "11 [Annual report] (1) Every ...")
        opens its unit; an anchor with a title only ("22.1703 Policy.") acts as a heading."""
        if self.card:
            return False
        anchor = parse_anchor(latin_numbering(text), heading=False, bare_ok=self._bare_ok(i))
        if anchor is None:
            return False
        if title_only(anchor.rest):
            self.heading(i, text, 7)  # below every real heading, so the next one replaces it
            self._set_anchor(anchor)
            return True
        self._set_anchor(anchor)
        depth = -1
        for n, (style, value) in enumerate(raw_labels(strip_marginal(anchor.rest))):
            label = (label_type(style, value, self.stack), value)
            if n == 0:
                depth = push(self.stack, label)
            else:
                self.stack.append(label)  # "(5)(i)": the second label is the first one's child
        unit_depth = depth if depth >= 0 and makes_unit(self.stack, depth, True) else -1
        locator = locator_for(self.stack, unit_depth, anchor=anchor, card_ref=None)
        self._open(i, locator, depth=unit_depth + 1).add(text, "", block.page)
        return True

    def _labelled(self, i: int, block: Block, text: str) -> bool:
        """A block opening with a valid label: its own unit, or a child kept in the open unit."""
        tokens = raw_labels(latin_numbering(text))
        if not tokens:
            return False
        # "(h)(1) ... that-" or a caption "(4) Posting.": what follows is its first child.
        prev = self.unit.text.rstrip() if self.unit else ""
        lead_in = prev.endswith(("-", "—", "–", ":")) or 0 < len(prev) <= 40
        kind = label_type(tokens[0][0], tokens[0][1], self.stack, lead_in)
        if not label_valid(kind, tokens[0][1], self.stack, self.last_top):
            return False
        own_number = self.anchor and not self.stack and tokens[0][1] == self.anchor.value
        if own_number and kind == "num_dot":
            return False  # "Article 3" then "3. Suppliers ...": the article's own number
        stack = list(self.stack)
        depth = push(stack, (kind, tokens[0][1]))
        for style, value in tokens[1:]:
            stack.append((label_type(style, value, stack), value))  # "(h)(1)": a child
        self.stack = stack
        anchored = self.anchor is not None
        if kind == "num_dot" and not anchored:
            self.last_top = int(tokens[0][1])
            self.card_ref = point[1] if self.card and (point := card_point(text)) else None
        unit = self.unit if self.unit and self.unit.kind == "para" else None
        if makes_unit(stack, depth, anchored):
            if unit and unit.absorb and depth >= unit.depth:
                unit.add(text, "\n", block.page)
                return True
            locator = locator_for(
                stack, depth, anchor=self.anchor, card_ref=self.card_ref if self.card else None
            )
            self._open(i, locator, depth=depth + 1).add(text, "", block.page)
            self.definitions = None  # "(b) Policy." after the definitions of (a)
        elif unit:
            unit.add(text, "\n", block.page)
        else:
            self._open_here(i, block).add(text, "", block.page)
        return True

    def _unlabelled(self, i: int, block: Block, text: str) -> None:
        unit = self.unit if self.unit and self.unit.kind == "para" else None
        if self.anchor is not None and (term := defined_term(text)):
            # "entity means ...": each definition of a legal text is cited on its own, at
            # the level of the first one (the previous definition's own list is closed).
            if self.definitions is None:
                self.definitions = list(self.stack)
            self.stack = list(self.definitions)
            base = self._open_here(i, block)
            base.locator = f'{base.locator}, "{term}"'
            base.absorb = True  # its (a), (b) and (i), (ii) stay with it
            base.add(text, "", block.page)
            return
        if unit and self._continues(unit, text, block.page):
            joiner = "" if re.search(r"\w-$", unit.text) and text[:1].islower() else " "
            unit.add(text, joiner, block.page)
        elif unit and unit.structured:
            if self.anchor is not None and not _title_like(text):
                # "Coercion means-" then "(1) Threats ...": that list belongs to the definition.
                unit.absorb = True
            unit.add(text, "\n", block.page)
        elif unit and len(unit.text) + 1 + len(text) <= self.max_chars:
            unit.add(text, "\n", block.page)
        else:
            self._open_here(i, block).add(text, "", block.page)

    def _continues(self, unit: Unit, text: str, page: int | None) -> bool:
        """A block that carries on the open unit's sentence across a page break or footnotes."""
        prev = unit.text.rstrip()
        lower = text[:1].islower()
        if prev.endswith(("-", "—", "–")):
            return lower  # a word cut at the line end continues; a dash announcing a list does not
        broken = self.interrupted or (
            page is not None and bool(unit.pages) and page != unit.pages[-1]
        )
        return prev[-1] not in TERMINAL or (broken and lower)

    # -- units ----------------------------------------------------------------

    def _open_here(self, i: int, block: Block) -> Unit:
        """A unit for text outside any numbered unit: under the anchor or labels, else a group."""
        anchored = self.anchor is not None
        depth = max(
            (d for d in range(len(self.stack)) if makes_unit(self.stack, d, anchored)), default=-1
        )
        if anchored or depth >= 0:
            card_ref = self.card_ref if self.card else None
            locator = locator_for(self.stack, depth, anchor=self.anchor, card_ref=card_ref)
            return self._open(i, locator, depth=depth + 1)
        if block.page is not None:
            locator = f"p. {block.page}"
        elif self.headings:
            locator = f'under "{_short(self.headings[-1][1])}"'
        else:
            locator = f"block {i + 1}"
        return self._open(i, locator, structured=False)

    def _open(
        self,
        i: int,
        locator: str,
        *,
        kind: str = "para",
        structured: bool = True,
        depth: int = 0,
        language: str = "",
    ) -> Unit:
        unit = Unit(
            locator, self._path(), i, kind, structured, language or self.doc.language, depth
        )
        self.units.append(unit)
        self.unit = unit
        return unit

    def _path(self) -> tuple[str, ...]:
        return tuple(text for _, text in self.headings)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def read_outline(blocks: list[Block], doc: Document, max_chars: int) -> Outline:
    """The units and footnotes of ``doc`` in reading order.

    Every block's text is in one of them, except headings and title-only lines, which
    are in the units' ``heading_path``.
    """
    outline = Outline(blocks, doc, max_chars)
    outline.run()
    return outline
