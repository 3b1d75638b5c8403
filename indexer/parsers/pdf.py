"""PDF files read with pypdf: positioned text runs in, blocks with page numbers out."""

from __future__ import annotations

import logging
import math
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, PdfReadError, PyPdfError

from indexer.errors import DocumentError
from indexer.models import Block
from indexer.parsers.base import ParsedFile
from indexer.parsers.bidi import reading_order
from indexer.parsers.limits import Limits, check_text
from indexer.parsers.pdf_layout import (
    Line,
    Page,
    Span,
    body_size,
    footnote_blocks,
    heading_sizes,
    page_blocks,
    remove_running_lines,
    split_footnotes,
)
from indexer.parsers.textutil import clean, primary_language

# pypdf logs what it repairs ("EOF marker not found") without naming the file; what
# matters reaches the user as a DocumentError that names it, so its log stays quiet.
logging.getLogger("pypdf").setLevel(logging.ERROR)

_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_JUNK_TITLE = re.compile(r"^(?:untitled|microsoft word - .*|.*\.(?:docx?|pdf|rtf|odt))$", re.I)


def _page_lines(page: Any, bottom: float = 0.0) -> list[Line]:
    """The page's text as lines of spans, in pypdf's reading order, with positions
    (y measured from the page's ``bottom`` edge) and effective font sizes."""
    lines: list[Line] = [Line()]

    def visit(text: str, cm: list[float], tm: list[float], font: Any, font_size: float) -> None:
        if not text:
            return
        # Text space to page space: tm x cm (PDF 1.7, 9.4.4).
        _, _, c, d, e, f = (float(v) for v in tm)
        ca, cb, cc, cd, ce, cf = (float(v) for v in cm)
        x = e * ca + f * cc + ce
        y = e * cb + f * cd + cf - bottom
        scale = math.hypot(c * ca + d * cc, c * cb + d * cd) or 1.0
        base = str(font.get("/BaseFont", "")) if font else ""
        size = float(font_size or 0) * scale
        for i, part in enumerate(text.split("\n")):
            if i:
                lines.append(Line())
            if part:
                # Only the first part's position is known; later parts start new lines below it.
                lines[-1].spans.append(
                    Span(
                        part,
                        x if i == 0 else None,
                        y if i == 0 else None,
                        size,
                        bool(_BOLD_FONT.search(base)),
                    )
                )

    page.extract_text(visitor_text=visit)
    for line in lines:
        order = reading_order([span.text for span in line.spans])
        if [text for _, text in order] != [span.text for span in line.spans]:
            line.spans = [replace(line.spans[i], text=text) for i, text in order]
    return [line for line in lines if line.text]


def _open(path: Path, handle: Any) -> PdfReader:
    """A reader for an unencrypted or empty-password PDF, or DocumentError."""
    try:
        reader = PdfReader(handle)
    except DependencyError as exc:
        raise DocumentError(path, f"encrypted PDF needs an extra library to open: {exc}") from exc
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AssertionError) as exc:
        raise DocumentError(path, f"corrupt PDF: {_first_line(exc)}") from exc
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except DependencyError as exc:
            raise DocumentError(
                path, f"encrypted PDF needs an extra library to open: {exc}"
            ) from exc
        except (PdfReadError, PyPdfError, ValueError, KeyError) as exc:
            raise DocumentError(path, f"corrupt PDF: {_first_line(exc)}") from exc
        if opened == PasswordType.NOT_DECRYPTED:
            raise DocumentError(path, "encrypted PDF (password required)")
    return reader


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _meta(reader: PdfReader) -> dict[str, Any]:
    meta: dict[str, Any] = {"pages": len(reader.pages)}
    try:
        title = clean(str(reader.metadata.title or "")) if reader.metadata else ""
    except (PyPdfError, ValueError, KeyError):
        title = ""
    if title and not _JUNK_TITLE.match(title):
        meta["title"] = title
    try:
        lang = reader.trailer["/Root"].get("/Lang")
    except (PyPdfError, ValueError, KeyError, AttributeError):
        lang = None
    if language := primary_language(str(lang) if lang else ""):
        meta["language"] = language
    return meta


class PdfParser:
    """``.pdf`` files: one block per paragraph, heading or footnote, with its 1-based page."""

    name = "pdf"
    version = "1"
    max_text = 0  # characters of text at most (0: no limit), checked after each page

    def parse(self, path: Path) -> ParsedFile:
        with path.open("rb") as handle:
            reader = _open(path, handle)
            pages = []
            chars = 0
            for number, page in enumerate(reader.pages, start=1):
                try:
                    box = page.mediabox
                    height = float(box.top) - float(box.bottom)
                    pages.append(Page(number, height, _page_lines(page, float(box.bottom))))
                except DependencyError as exc:
                    raise DocumentError(
                        path, f"encrypted PDF needs an extra library to open: {exc}"
                    ) from exc
                except (
                    PyPdfError,
                    ValueError,
                    KeyError,
                    TypeError,
                    AttributeError,
                    IndexError,
                ) as exc:
                    raise DocumentError(
                        path, f"corrupt PDF: page {number}: {_first_line(exc)}"
                    ) from exc
                chars += sum(len(line.text) for line in pages[-1].lines)
                check_text(path, chars, Limits(max_text=self.max_text))
            meta = _meta(reader)
        if not any(line.text for page in pages for line in page.lines):
            raise DocumentError(path, "no extractable text (scanned PDF? OCR it first)")
        blocks = layout_blocks(pages)
        if "title" not in meta and (
            first := next((b.text for b in blocks if b.kind == "heading"), "")
        ):
            meta["title"] = first
        return ParsedFile(blocks=blocks, meta=meta)


def layout_blocks(pages: list[Page]) -> list[Block]:
    """All blocks of a document: for each page, its body blocks then its footnotes."""
    size = body_size(pages)
    remove_running_lines(pages)
    sizes = heading_sizes(pages, size)
    blocks: list[Block] = []
    last_note: int | None = (
        None  # index in blocks of the latest footnote, for notes running over a page
    )
    for page in pages:
        body, notes = split_footnotes(page, size)
        page.lines = body
        blocks.extend(page_blocks(page, size, sizes))
        previous = blocks[last_note] if last_note is not None else None
        new_notes, updated = footnote_blocks(notes, page.number, previous)
        if updated is not None and last_note is not None:
            blocks[last_note] = updated
        blocks.extend(new_notes)
        if new_notes:
            last_note = len(blocks) - 1
    return blocks


__all__ = ["PdfParser", "layout_blocks"]
