"""Bounds on what one file may cost before a parser builds it in memory.

A file under the size limit can still expand: a DOCX is a zip whose parts may inflate a
thousandfold, and an HTML or text file within 50 MB can hold tens of millions of
characters (days of embedding). ``check_before_parsing`` looks at what the file will
expand to while streaming it, before any parser loads it whole; ``check_text`` counts the
text a parser extracted. Over a limit, a ``DocumentError`` names the limit and its setting.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.errors import DocumentError

MB = 1024 * 1024
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TEXT_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
_TAGS = re.compile(rb"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.S | re.I)
_TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
ELEMENT_BYTES = 100  # one XML element per 100 expanded bytes bounds a DOCX's tree in memory


@dataclass(frozen=True)
class Limits:
    """What one file may cost: bytes on disk, characters of text, bytes once unzipped."""

    max_bytes: int = 50 * MB
    max_text: int = 20 * MB
    max_expanded: int = 100 * MB

    @classmethod
    def from_settings(cls, settings: Any) -> Limits:
        return cls(
            max_bytes=int(settings.max_file_mb * MB),
            max_text=int(settings.max_text_mb * MB),
            max_expanded=int(settings.max_expanded_mb * MB),
        )


def label(n_bytes: float) -> str:
    """``73.2 MB``, ``50 MB``, ``12 KB``, ``900 bytes``: precise enough for a message."""
    for unit, factor in (("MB", MB), ("KB", 1024)):
        if n_bytes >= factor:
            value = f"{n_bytes / factor:.1f}".removesuffix(".0")
            return f"{value} {unit}"
    return f"{int(n_bytes)} bytes"


def too_much_text(path: Path, chars: int, limits: Limits) -> DocumentError:
    return DocumentError(
        path,
        f"holds more than {label(limits.max_text)} of text ({chars:,} characters so far), "
        "over the limit (VIGILANCE_MAX_TEXT_MB)",
    )


def check_text(path: Path, chars: int, limits: Limits) -> None:
    if limits.max_text and chars > limits.max_text:
        raise too_much_text(path, chars, limits)


def check_before_parsing(path: Path, limits: Limits) -> None:
    """Refuse, in one line, a file that would expand beyond the limits once parsed."""
    suffix = path.suffix.casefold()
    if suffix == ".docx" and zipfile.is_zipfile(path):
        check_docx(path, limits)
    # A file of fewer bytes than the text limit cannot hold more characters than that.
    elif suffix in _TEXT_SUFFIXES and limits.max_text and path.stat().st_size > limits.max_text:
        data = path.read_bytes()
        if suffix in {".html", ".htm"}:
            data = _TAGS.sub(b" ", data)
        check_text(path, len(data.decode("utf-8", errors="ignore")), limits)


def check_docx(path: Path, limits: Limits) -> None:
    """Every part's unzipped size within the limit, then the text counted while streaming.

    A zip member cannot yield more bytes than its declared size (zipfile stops there and
    checks the CRC), so the declared sizes bound what python-docx will read.
    """
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        total = sum(m.file_size for m in members)
        for member in sorted(members, key=lambda m: -m.file_size)[:1]:
            if member.file_size > limits.max_expanded or total > 2 * limits.max_expanded:
                raise DocumentError(
                    path,
                    f"part {member.filename} expands to {label(member.file_size)} "
                    f"({label(total)} in all), over the {label(limits.max_expanded)} limit "
                    "(VIGILANCE_MAX_EXPANDED_MB)",
                )
        names = {m.filename for m in members}
        chars = 0
        for part in (p for p in _TEXT_PARTS if p in names):
            with archive.open(part) as stream:
                chars = _count_text(path, stream, chars, limits)


def _count_text(path: Path, stream: Any, chars: int, limits: Limits) -> int:
    """Text characters and elements of one XML part, streamed and cleared as it goes."""
    from lxml import etree

    elements = 0
    max_elements = max(limits.max_expanded // ELEMENT_BYTES, 1000)
    try:
        for _, elem in etree.iterparse(stream, events=("end",), resolve_entities=False):
            elements += 1
            if elem.tag == f"{{{W_NS}}}t" and elem.text:
                chars += len(elem.text)
                check_text(path, chars, limits)
            if elements > max_elements:
                raise DocumentError(
                    path,
                    f"has more than {max_elements:,} XML elements, too many to read "
                    "within the limit (VIGILANCE_MAX_EXPANDED_MB)",
                )
            elem.clear()
            while elem.getprevious() is not None:
                del elem.getparent()[0]
    except etree.XMLSyntaxError as exc:
        reason = " ".join(str(exc).split())[:120]
        raise DocumentError(path, f"not a valid Word document: {reason}") from exc
    return chars
