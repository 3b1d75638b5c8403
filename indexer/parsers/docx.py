"""Word files (.docx): headings by style, list items, table rows, numbering and footnotes."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from indexer.errors import DocumentError
from indexer.models import Block
from indexer.parsers.base import ParsedFile
from indexer.parsers.textutil import clean, primary_language

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .doc, or a password-protected .docx
# Localised built-in heading style names that python-docx does not translate.
_HEADING_STYLE = re.compile(
    r"^(?:heading|titre|título|titulo|encabezado|überschrift|kop)\s*(\d)$", re.I
)


def _attr(el: Any, name: str) -> str | None:
    return el.get(f"{{{W}}}{name}") if el is not None else None


def _format_number(n: int, fmt: str) -> str:
    """A list counter in Word's number formats (decimal, letters, roman)."""
    if fmt in {"lowerLetter", "upperLetter"}:
        text = ""
        while n > 0:
            n, rem = divmod(n - 1, 26)
            text = chr(ord("a") + rem) + text
        return text.upper() if fmt == "upperLetter" else text
    if fmt in {"lowerRoman", "upperRoman"}:
        numerals = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip
        text = ""
        for value, letters in numerals:
            count, n = divmod(n, value)
            text += letters * count
        return text.upper() if fmt == "upperRoman" else text
    return str(n)


class _Numbering:
    """Renders Word's automatic paragraph numbers ("12.", "(a)") that are not in the text itself."""

    def __init__(self, xml: bytes | None) -> None:
        self.levels: dict[
            str, dict[int, tuple[str, str, int]]
        ] = {}  # numId -> ilvl -> (fmt, text, start)
        self.counters: dict[str, dict[int, int]] = {}
        if not xml:
            return
        root = etree.fromstring(xml)
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.findall("w:abstractNum", NS):
            lvls = {}
            for lvl in node.findall("w:lvl", NS):
                fmt = _attr(lvl.find("w:numFmt", NS), "val") or "decimal"
                text = _attr(lvl.find("w:lvlText", NS), "val") or ""
                start = int(_attr(lvl.find("w:start", NS), "val") or 1)
                lvls[int(_attr(lvl, "ilvl") or 0)] = (fmt, text, start)
            abstract[_attr(node, "abstractNumId") or ""] = lvls
        for num in root.findall("w:num", NS):
            abstract_id = _attr(num.find("w:abstractNumId", NS), "val") or ""
            self.levels[_attr(num, "numId") or ""] = abstract.get(abstract_id, {})

    def label(self, num_id: str, ilvl: int) -> tuple[str, bool]:
        """The rendered label for the next paragraph of this list level, and whether it is a bullet."""
        lvls = self.levels.get(num_id)
        if not lvls or ilvl not in lvls:
            return "", True
        fmt, text, start = lvls[ilvl]
        if fmt in {"bullet", "none"}:
            return "", True
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]  # a new "2." restarts its "(a)", "(b)"

        def render(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            lvl_fmt, _, lvl_start = lvls.get(level, ("decimal", "", 1))
            return _format_number(counters.get(level, lvl_start), lvl_fmt)

        return re.sub(r"%(\d)", render, text).strip(), False


def _num_pr(paragraph: Any) -> tuple[str, int] | None:
    """(numId, ilvl) from the paragraph, else from its style chain; None if not numbered."""
    candidates = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        candidates.append(style.element.pPr)
        style = style.base_style
    for ppr in candidates:
        num_pr = ppr.find("w:numPr", NS) if ppr is not None else None
        if num_pr is not None:
            num_id = _attr(num_pr.find("w:numId", NS), "val")
            ilvl = int(_attr(num_pr.find("w:ilvl", NS), "val") or 0)
            return (num_id, ilvl) if num_id and num_id != "0" else None
    return None


def _heading_level(paragraph: Any) -> int:
    """1-9 for Title/Heading N styles (or an outline level), else 0."""
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if name.casefold() == "title":
        return 1
    if match := _HEADING_STYLE.match(name.strip()):
        return max(1, int(match.group(1)))
    ppr = paragraph._p.pPr
    outline = _attr(ppr.find("w:outlineLvl", NS), "val") if ppr is not None else None
    if outline is not None and outline.isdigit() and int(outline) < 9:
        return int(outline) + 1
    return 0


def _related_blob(document: Any, reltype: str) -> bytes | None:
    for rel in document.part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return rel.target_part.blob
    return None


def _footnotes(document: Any) -> dict[str, str]:
    """Footnote id -> text, separators excluded (python-docx has no footnote API)."""
    blob = _related_blob(document, RT_FOOTNOTES)
    if not blob:
        return {}
    notes = {}
    for note in etree.fromstring(blob).findall("w:footnote", NS):
        if _attr(note, "type") in {"separator", "continuationSeparator", "continuationNotice"}:
            continue
        paragraphs = [
            "".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in note.findall("w:p", NS)
        ]
        notes[_attr(note, "id") or ""] = clean(" ".join(paragraphs))
    return notes


class DocxParser:
    """``.docx`` files read with python-docx (never saved back)."""

    name = "docx"
    version = "1"

    def parse(self, path: Path) -> ParsedFile:
        import docx  # lazy: only needed for Word files
        from docx.opc.exceptions import PackageNotFoundError
        from docx.table import Table

        with path.open("rb") as handle:
            if handle.read(4) == _OLE_MAGIC:
                raise DocumentError(
                    path, "password-protected or old-format Word file: save it as .docx"
                )
        try:
            document = docx.Document(str(path))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
            raise DocumentError(path, "not a valid DOCX (zip) file") from exc
        except ValueError as exc:  # e.g. an .xlsx renamed .docx
            raise DocumentError(path, f"not a Word document: {exc}") from exc
        numbering = _Numbering(_related_blob(document, RT_NUMBERING))
        notes = _footnotes(document)
        note_numbers: dict[str, str] = {}  # Word numbers notes in order of first reference
        emitted: set[str] = set()
        blocks: list[Block] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.extend(_table_blocks(item))
                continue
            text = clean(item.text)
            ref_ids = [_attr(ref, "id") or "" for ref in item._p.iter(f"{{{W}}}footnoteReference")]
            refs = tuple(
                note_numbers.setdefault(i, str(len(note_numbers) + 1))
                for i in ref_ids
                if i in notes
            )
            level = _heading_level(item)
            num = _num_pr(item)
            if text and level:
                blocks.append(Block(text, kind="heading", level=level))
            elif text and num:
                label, bullet = numbering.label(*num)
                if bullet:
                    blocks.append(Block(text, kind="item", refs=refs))
                else:  # a numbered paragraph: the number is part of its citation ("12.", "(a)")
                    blocks.append(Block(f"{label} {text}".strip(), refs=refs))
            elif text:
                kind = (
                    "item"
                    if (item.style is not None and item.style.name.startswith("List"))
                    else "para"
                )
                blocks.append(Block(text, kind=kind, refs=refs))  # type: ignore[arg-type]
            for ref_id in dict.fromkeys(ref_ids):
                if notes.get(ref_id) and ref_id not in emitted:
                    emitted.add(ref_id)
                    blocks.append(
                        Block(notes[ref_id], kind="footnote", marker=note_numbers[ref_id])
                    )
        props = document.core_properties
        meta: dict[str, Any] = {}
        if props.title and props.title.strip():
            meta["title"] = clean(props.title)
        elif first := next((b.text for b in blocks if b.kind == "heading"), ""):
            meta["title"] = first
        if language := primary_language(props.language):
            meta["language"] = language
        return ParsedFile(blocks=blocks, meta=meta)


def _table_blocks(table: Any) -> list[Block]:
    """One block per row, cells joined with " | " (merged cells counted once)."""
    blocks = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            if text := clean(cell.text):
                cells.append(text)
        if cells:
            blocks.append(Block(" | ".join(cells), kind="table"))
    return blocks
