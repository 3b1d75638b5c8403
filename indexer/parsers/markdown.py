"""Markdown files: YAML front matter, ATX headings, paragraphs, list items, tables, footnotes.

Footnotes follow the convention of UN documents converted to Markdown: a
paragraph starting with ``<sup>3</sup>`` is footnote 3, and ``<sup>3</sup>``
inside a paragraph is a reference to it (``[^3]`` and ``[^3]: ...`` work too).
Reference marks are removed from the text and listed in ``Block.refs``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import yaml

from indexer.errors import DocumentError
from indexer.metadata import load_yaml
from indexer.models import Block
from indexer.parsers.base import ParsedFile
from indexer.parsers.text import read_text, split_header
from indexer.parsers.textutil import clean, first_title

_ATX = re.compile(r"^ {0,3}(#{1,6})(?!#)\s*(.*?)\s*#*\s*$")  # "##Title" (no space) is accepted too
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_RULE = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_BULLET = re.compile(r"^\s{0,8}[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s{0,8}\d{1,3}[.)]\s+\S")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SUP_MARK = r"(?:\d{1,3}|\*{1,3})"  # "<sup>e</sup>" (French ordinals) is not a reference
_FOOTNOTE_START = re.compile(
    rf"^\s*(?:<sup>\s*({_SUP_MARK})\s*</sup>|\[\^([^\]]+)\]:|\\(\*))\s*(.*)$", re.S
)
_SUP_REF = re.compile(rf"<sup>\s*({_SUP_MARK}(?:\s*,\s*{_SUP_MARK})*)\s*</sup>")
_CARET_REF = re.compile(r"\[\^([^\]]+)\]")
_STAR_REF = re.compile(r"(?<=\w)\\\*")  # "provisoire\*": the asterisk footnote of UN cover pages
_EMPHASIS_ONLY = re.compile(r"^(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1$", re.S)


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """The YAML front matter between leading ``---`` lines (as a dict) and the rest of the text."""
    if not re.match(r"^---[ \t]*\n", text):
        return {}, text
    end = re.search(r"^(---|\.\.\.)[ \t]*$", text[4:], re.M)
    if not end:
        raise DocumentError(path, "invalid YAML front matter: no closing '---' line")
    raw = text[4 : 4 + end.start()]
    try:
        data = load_yaml(raw) or {}
    except yaml.YAMLError as exc:
        detail = " ".join(str(exc).split())
        raise DocumentError(path, f"invalid YAML front matter: {detail}") from exc
    if not isinstance(data, dict):
        raise DocumentError(path, "invalid YAML front matter: expected 'key: value' lines")
    # Line numbers of the body stay meaningful to a reader: keep the newlines we removed.
    return data, "\n" * raw.count("\n") + text[4 + end.end() :]


def strip_inline(text: str) -> tuple[str, tuple[str, ...]]:
    """Plain text of one Markdown paragraph and the footnote references removed from it."""
    refs: list[str] = []

    def take(match: re.Match[str]) -> str:
        refs.extend(m.strip() for m in match.group(1).split(","))
        return ""

    text = _SUP_REF.sub(take, text)
    text = _CARET_REF.sub(take, text)
    if _STAR_REF.search(text):
        refs.append("*")
        text = _STAR_REF.sub("", text)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)  # image -> alt text
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)  # link -> its words
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.I)
    text = re.sub(r"</?[A-Za-z][^>]*>", "", text)  # <i>, <b>, <sup>er</sup> -> words kept
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>])", r"\1", text)  # backslash escapes
    text = clean(html.unescape(text))
    return text, tuple(dict.fromkeys(refs))


def _table_row(line: str) -> str:
    cells = line.strip().strip("|").split("|") if "|" in line else line.split("\t")
    return " | ".join(c for c in (strip_inline(cell)[0] for cell in cells) if c)


class _Builder:
    """Accumulates paragraph lines and turns each finished paragraph into blocks."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.lines: list[str] = []
        self.heading_level = 0

    def heading(self, raw: str, level: int, *, emphasis: bool = False) -> None:
        text, _ = strip_inline(raw)
        if text:
            self.blocks.append(Block(text, kind="heading", level=level))
            if not emphasis:  # bold sub-headings nest under the last real heading, not each other
                self.heading_level = level

    def flush(self) -> None:
        lines, self.lines = self.lines, []
        if not lines:
            return
        if all("\t" in line or line.lstrip().startswith("|") for line in lines):
            for line in lines:
                if not _TABLE_SEP.match(line) and (row := _table_row(line)):
                    self.blocks.append(Block(row, kind="table"))
            return
        raw = "\n".join(lines)
        note = _FOOTNOTE_START.match(raw)
        if note:
            marker = note.group(1) or note.group(2) or note.group(3)
            text, refs = strip_inline(note.group(4))
            self.blocks.append(Block(text, kind="footnote", marker=marker.strip(), refs=refs))
            return
        emphasis = _EMPHASIS_ONLY.match(raw.strip())
        if (
            emphasis
            and len(raw) <= 250
            and "<sup>" not in raw
            and not raw.rstrip("*_").endswith(".")
        ):
            # A paragraph wholly in bold or italics is a sub-heading in UN documents.
            self.heading(emphasis.group(2), min(self.heading_level + 1, 6), emphasis=True)
            return
        text, refs = strip_inline(raw)
        if text:
            self.blocks.append(Block(text, refs=refs))

    def item(self, raw: str) -> None:
        self.flush()
        text, refs = strip_inline(raw)
        if text:
            self.blocks.append(Block(text, kind="item", refs=refs))


def markdown_blocks(body: str) -> list[Block]:
    """Blocks of a Markdown body (front matter already removed)."""
    out = _Builder()
    in_fence = False
    fence_lines: list[str] = []
    item_open = False  # the last block is a list item that may continue on indented lines
    for line in body.split("\n"):
        if in_fence:
            if _FENCE.match(line):
                in_fence = False
                if "".join(fence_lines).strip():
                    out.blocks.append(Block("\n".join(fence_lines).strip("\n")))
                fence_lines = []
            else:
                fence_lines.append(line)
            continue
        if _FENCE.match(line):
            out.flush()
            in_fence, item_open = True, False
            continue
        if not line.strip():
            out.flush()
            item_open = False
            continue
        if (atx := _ATX.match(line)) and atx.group(2):
            out.flush()
            out.heading(atx.group(2), len(atx.group(1)))
            item_open = False
            continue
        if (
            out.lines
            and len(out.lines) == 1
            and _SETEXT.match(line)
            and not out.lines[0].startswith("|")
        ):
            title = out.lines.pop()
            out.heading(title, 1 if line.strip().startswith("=") else 2)
            continue
        if _RULE.match(line):
            out.flush()
            item_open = False
            continue
        if bullet := _BULLET.match(line):
            out.item(bullet.group(1))
            item_open = True
            continue
        if _NUMBERED.match(line):
            out.flush()  # "12." starts a paragraph; the chunker reads the number
            out.lines.append(line)
            item_open = False
            continue
        if item_open and not out.lines:
            # A lazy continuation line of the previous item: rejoin it.
            last = out.blocks.pop()
            text, refs = strip_inline(line)
            out.blocks.append(
                Block(f"{last.text} {text}".strip(), kind="item", refs=last.refs + refs)
            )
            continue
        out.lines.append(re.sub(r"^\s{0,3}>\s?", "", line))  # blockquotes read as paragraphs
    out.flush()
    if in_fence and "".join(fence_lines).strip():
        out.blocks.append(Block("\n".join(fence_lines).strip("\n")))
    return out.blocks


class MarkdownParser:
    """``.md`` / ``.markdown`` files, with optional YAML front matter."""

    name = "markdown"
    version = "2"

    def parse(self, path: Path) -> ParsedFile:
        front, body = split_front_matter(read_text(path), path)
        if not front:
            front, body = split_header(body)
        blocks = markdown_blocks(body)
        meta: dict[str, Any] = {"front_matter": front}
        title = front.get("title") or first_title(blocks)
        if title:
            meta["title"] = str(title)
        if front.get("language") or front.get("lang"):
            meta["language"] = str(front.get("language") or front.get("lang"))
        return ParsedFile(blocks=blocks, meta=meta)
