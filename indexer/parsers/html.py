"""HTML pages: the readable content only (no scripts, menus, page headers or footers)."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from indexer.errors import DocumentError
from indexer.models import Block
from indexer.parsers.base import ParsedFile
from indexer.parsers.textutil import DECODE_FAILURE, clean, primary_language, strip_bom_and_decode

_DROP = (
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "template",
    "svg",
    "iframe",
)
_INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "br", "del", "ins",
}  # fmt: skip
_BLOCK_LEVEL = (
    "p",
    "div",
    "li",
    "td",
    "th",
    "tr",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_REF = re.compile(r"^\[?\(?(\d{1,3}|\*)\)?\]?$")


def decode_html(data: bytes, path: Path) -> str:
    """HTML bytes as text: BOM, then the ``<meta charset>`` declaration, then UTF-8, then cp1252."""
    declared = _CHARSET.search(data[:4096])
    try:
        return strip_bom_and_decode(data, declared.group(1).decode("ascii") if declared else None)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DocumentError(path, DECODE_FAILURE) from exc


def _text_and_refs(el: Tag) -> tuple[str, tuple[str, ...]]:
    """Visible text of an element, with footnote-call superscripts taken out into refs."""
    refs: list[str] = []
    for sup in el.find_all("sup"):
        mark = sup.get_text(strip=True)
        if _REF.match(mark):
            refs.append(_REF.match(mark).group(1))
            sup.decompose()
    for br in el.find_all("br"):
        br.replace_with(" ")
    for inner in el.find_all(_BLOCK_LEVEL):
        inner.insert_after(" ")  # "<li><p>a</p><p>b</p></li>" reads "a b", not "ab"
    return clean(el.get_text("")), tuple(dict.fromkeys(refs))


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def add(self, el: Tag, kind: str = "para", level: int = 0) -> None:
        text, refs = _text_and_refs(el)
        if text:
            self.blocks.append(Block(text, kind=kind, level=level, refs=refs))  # type: ignore[arg-type]

    def row(self, tr: Tag) -> None:
        cells = [clean(cell.get_text(" ")) for cell in tr.find_all(["td", "th"], recursive=False)]
        text = " | ".join(c for c in cells if c)
        if text:
            self.blocks.append(Block(text, kind="table"))

    def walk(self, parent: Tag) -> None:
        """Emit blocks for ``parent``'s children in document order; loose inline text becomes a paragraph."""
        loose: list[str] = []

        def flush() -> None:
            text = clean("".join(loose))
            loose.clear()
            if text:
                self.blocks.append(Block(text))

        for child in parent.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                loose.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in _INLINE:
                loose.append(" " if name == "br" else child.get_text(""))
                continue
            flush()
            if re.fullmatch(r"h[1-6]", name):
                self.add(child, "heading", int(name[1]))
            elif name in {"p", "dt", "dd", "caption", "figcaption", "summary", "address"}:
                self.add(child)
            elif name == "pre":
                text = child.get_text("").strip("\n")
                if text.strip():
                    self.blocks.append(Block(text))
            elif name == "li":
                nested = [c.extract() for c in child.find_all(["ul", "ol"])]
                self.add(child, "item")
                for lst in nested:
                    self.walk(lst)
            elif name == "table":
                for tr in child.find_all("tr"):
                    if tr.find_parent("table") is child:
                        self.row(tr)
            elif name == "blockquote" and not child.find(["p", "div", "ul", "ol", "table"]):
                self.add(child)
            else:  # div, section, article, main, ul, ol, blockquote with paragraphs, ...
                self.walk(child)
        flush()


class HtmlParser:
    """``.html`` / ``.htm`` pages, parsed with BeautifulSoup and lxml."""

    name = "html"
    version = "1"

    def parse(self, path: Path) -> ParsedFile:
        soup = BeautifulSoup(decode_html(path.read_bytes(), path), "lxml")
        meta: dict = {}
        if soup.title and clean(soup.title.get_text()):
            meta["title"] = clean(soup.title.get_text())
        if soup.html and (language := primary_language(str(soup.html.get("lang") or ""))):
            meta["language"] = language
        while el := soup.find(_DROP, recursive=True):
            if el.name in {"header", "footer"} and el.find_parent(["article", "main"]):
                el.unwrap()  # an article's own header holds its title: keep the content
            else:
                el.decompose()
        if soup.head:
            soup.head.decompose()
        walker = _Walker()
        walker.walk(soup.body or soup)
        if "title" not in meta:
            first = next((b.text for b in walker.blocks if b.kind == "heading"), "")
            if first:
                meta["title"] = first
        return ParsedFile(blocks=walker.blocks, meta=meta)
