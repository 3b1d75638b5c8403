"""What every parser returns and promises (kept apart from the registry to avoid import cycles)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from indexer.models import Block


@dataclass
class ParsedFile:
    """The blocks of one file, in reading order, and what the file says about itself.

    ``meta`` may hold ``title`` (from the file's own metadata or its first
    heading), ``language`` (a primary tag such as ``"fr"``, only when the file
    declares it), ``front_matter`` (Markdown YAML, as a dict), ``pages`` (PDF)
    and ``parser`` (``"name/version"``, so an index can tell which parser built it).
    """

    blocks: list[Block]
    meta: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class Parser(Protocol):
    """Turns one file into blocks. Never writes to the file; raises DocumentError on bad input."""

    name: str
    version: str

    def parse(self, path: Path) -> ParsedFile: ...
