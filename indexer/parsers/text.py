"""Plain-text files: paragraphs on blank lines, numbered lines as their own paragraphs."""

from __future__ import annotations

import re
from pathlib import Path

from indexer.errors import DocumentError
from indexer.models import Block
from indexer.parsers.base import ParsedFile
from indexer.parsers.textutil import (
    BULLET,
    first_title,
    heading_level,
    is_title_line,
    join_lines,
    starts_paragraph,
    strip_bom_and_decode,
)


def read_text(path: Path, declared: str | None = None) -> str:
    """The decoded text of a file (BOM, declared charset, UTF-8, then plausible cp1252).

    Line endings are normalised to ``\\n``. Raises DocumentError when undecodable.
    """
    data = path.read_bytes()
    try:
        text = strip_bom_and_decode(data, declared)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DocumentError(
            path, str(exc) if isinstance(exc, ValueError) else "cannot decode text"
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


_HEADER_LINE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z _-]{0,24}):[ \t]+(?P<value>\S.*)$")
_HEADER_KEYS = {
    "title", "short title", "short_title", "author", "date", "language", "lang", "source",
    "url", "type", "jurisdiction", "symbol", "note", "notes", "keywords", "subject", "base url",
}  # fmt: skip


def split_header(text: str) -> tuple[dict[str, str], str]:
    """A MultiMarkdown-style metadata block (``Title: ...`` lines up to the first blank line)
    and the rest of the text. Only a block whose first line is ``title:`` and whose every
    line is a known ``key: value`` counts, so a body that opens "Note: ..." stays text."""
    head, sep, rest = text.lstrip("\n").partition("\n\n")
    lines = head.split("\n")
    fields: dict[str, str] = {}
    for line in lines:
        m = _HEADER_LINE.match(line.strip())
        if not m or m.group("key").strip().casefold() not in _HEADER_KEYS:
            return {}, text
        fields[m.group("key").strip().casefold().replace(" ", "_")] = m.group("value").strip()
    if "title" not in fields or not sep:
        return {}, text
    # Line numbers of the body stay meaningful to a reader: keep the lines we removed.
    return fields, "\n" * (len(lines) + 1) + rest


def split_paragraphs(lines: list[str]) -> list[list[str]]:
    """Group lines into paragraphs: a blank line ends one, and so does a numbered or bulleted line."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if not line.strip():
            if current:
                paragraphs.append(current)
            current = []
            continue
        if current and starts_paragraph(line, current[-1], current[0]):
            paragraphs.append(current)
            current = []
        current.append(line)
    if current:
        paragraphs.append(current)
    return paragraphs


def text_blocks(text: str) -> list[Block]:
    """Blocks of plain text: headings (``PART 1``, all-caps lines, short title-case
    lines standing alone), bullet items, and paragraphs with their lines joined."""
    blocks: list[Block] = []
    for lines in split_paragraphs(text.split("\n")):
        first = lines[0].strip()
        level = heading_level(first)
        if level and len(lines) == 1:
            blocks.append(Block(join_lines(lines), kind="heading", level=level))
            continue
        if level and len(lines) > 1 and len(first.split()) <= 8:
            rest = [line.strip() for line in lines[1:]]
            if len(rest) <= 2 and all(_is_subtitle(line) for line in rest):
                # "PART 1" over "Exclusion of suppliers": one heading, as printed.
                blocks.append(Block(join_lines(lines), kind="heading", level=level))
                continue
            # "Section 1" on its own line above the body of the section: heading, then the rest.
            blocks.append(Block(join_lines([first]), kind="heading", level=level))
            lines = lines[1:]
        elif len(lines) == 1 and is_title_line(first):
            blocks.append(Block(join_lines(lines), kind="heading", level=2))
            continue
        body = join_lines(lines)
        if not body:
            continue
        if BULLET.match(body):
            blocks.append(Block(BULLET.sub("", body, count=1), kind="item"))
        else:
            blocks.append(Block(body))
    return blocks


class TextParser:
    """``.txt``: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252."""

    name = "text"
    version = "2"

    def parse(self, path: Path) -> ParsedFile:
        header, text = split_header(read_text(path))
        blocks = text_blocks(text)
        meta: dict = {"front_matter": header} if header else {}
        title = header.get("title") or first_title(blocks)
        if title:
            meta["title"] = title
        return ParsedFile(blocks=blocks, meta=meta)


def _is_subtitle(line: str) -> bool:
    """A short line without sentence punctuation that does not open a numbered paragraph."""
    return (
        0 < len(line.split()) <= 10
        and not re.search(r"[.;,:]$", line)
        and not starts_paragraph(line, ".")
        and not line[:1].islower()
    )
