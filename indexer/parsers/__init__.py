"""File parsers: one per format, chosen by extension, behind the ``Parser`` protocol.

``parse_file`` is the entry point: it refuses files a user should fix first
(missing, empty, too large, binary posing as text) before any parser runs, and
turns every parser failure into a one-line ``DocumentError``.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from indexer.errors import DocumentError
from indexer.parsers.base import ParsedFile, Parser
from indexer.parsers.limits import MB, Limits, check_before_parsing, check_text, label
from indexer.parsers.textutil import is_binary

__all__ = [
    "MB",
    "SUPPORTED_EXTENSIONS",
    "DocumentError",
    "Limits",
    "ParsedFile",
    "Parser",
    "parse_file",
    "parser_for",
]

# extension -> (module, class); modules are imported on first use so a missing
# optional library (python-docx, pypdf) only affects its own format.
_REGISTRY: dict[str, tuple[str, str]] = {
    ".pdf": ("indexer.parsers.pdf", "PdfParser"),
    ".docx": ("indexer.parsers.docx", "DocxParser"),
    ".html": ("indexer.parsers.html", "HtmlParser"),
    ".htm": ("indexer.parsers.html", "HtmlParser"),
    ".md": ("indexer.parsers.markdown", "MarkdownParser"),
    ".markdown": ("indexer.parsers.markdown", "MarkdownParser"),
    ".txt": ("indexer.parsers.text", "TextParser"),
}
SUPPORTED_EXTENSIONS = tuple(_REGISTRY)
_TEXT_EXTENSIONS = {".txt", ".md", ".markdown", ".html", ".htm"}
_PIP_NAMES = {
    "pypdf": "pypdf",
    "docx": "python-docx",
    "bs4": "beautifulsoup4",
    "lxml": "lxml",
    "yaml": "PyYAML",
}
_SNIFF_BYTES = 64 * 1024


def parser_for(path: str | Path) -> Parser:
    """The parser for this file's extension (case-insensitive); DocumentError if none."""
    path = Path(path)
    suffix = path.suffix.casefold()
    if suffix not in _REGISTRY:
        shown = suffix or "(no extension)"
        supported = ", ".join(SUPPORTED_EXTENSIONS)
        raise DocumentError(path, f"unsupported file type {shown} (supported: {supported})")
    module_name, class_name = _REGISTRY[suffix]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        missing = (exc.name or "").split(".")[0]
        package = _PIP_NAMES.get(missing, missing or "a required library")
        raise DocumentError(
            path, f"cannot read {suffix} files: {package} is not installed"
        ) from exc
    return getattr(module, class_name)()


def _check_file(path: Path, max_bytes: int) -> None:
    """The checks made before any parser runs, in the order a user should fix them."""
    if not path.exists():
        raise DocumentError(path, "file not found")
    if not path.is_file():
        raise DocumentError(path, "not a regular file")
    if not os.access(path, os.R_OK):
        raise DocumentError(path, "file is not readable (permission denied)")
    size = path.stat().st_size
    if size == 0:
        raise DocumentError(path, "empty file")
    if max_bytes and size > max_bytes:
        raise DocumentError(path, f"file is {label(size)}, over the {label(max_bytes)} limit")
    if path.suffix.casefold() in _TEXT_EXTENSIONS:
        with path.open("rb") as handle:
            sample = handle.read(_SNIFF_BYTES)
        if is_binary(sample):
            raise DocumentError(path, "binary content in a text file")


def parse_file(
    path: str | Path, max_bytes: int = 50 * MB, limits: Limits | None = None
) -> ParsedFile:
    """Parse one file into blocks and inferred metadata, or raise DocumentError.

    The file is only ever opened for reading. ``limits`` bound the file's size, its text
    and (DOCX) its unzipped parts; without them, ``max_bytes`` (0: no limit) and the
    default text limits apply. ``meta["parser"]`` records which parser and version
    produced the blocks.
    """
    path = Path(path)
    limits = limits or Limits(max_bytes=max_bytes)
    if not path.exists():
        raise DocumentError(path, "file not found")
    parser = parser_for(path)
    _check_file(path, limits.max_bytes)
    if hasattr(parser, "max_text"):
        parser.max_text = limits.max_text  # counted page by page (PDF)
    try:
        check_before_parsing(path, limits)
        parsed = parser.parse(path)
    except DocumentError:
        raise
    except PermissionError as exc:
        raise DocumentError(path, "file is not readable (permission denied)") from exc
    except MemoryError as exc:
        raise DocumentError(path, "file too large to parse in memory") from exc
    except Exception as exc:  # a parser library failing on a bad file: one line for the user
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DocumentError(path, f"cannot parse {parser.name.upper()} file: {detail}") from exc
    if not any(block.text.strip() for block in parsed.blocks):
        raise DocumentError(path, "no text found in the file")
    check_text(path, sum(len(block.text) for block in parsed.blocks), limits)
    parsed.meta.setdefault("parser", f"{parser.name}/{parser.version}")
    return parsed
