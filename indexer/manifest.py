"""The index manifest: what was indexed, from which bytes, with which pipeline.

Per document it keeps the sha256 of the source, the parser and chunker versions and
the number of passages; for the whole store, the embedder id. A document whose entry
matches all of these is not parsed or embedded again. Written atomically after each
document, so a killed run loses at most the document it was working on.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_SCHEMA = 1


@dataclass
class Entry:
    doc: dict[str, Any]
    sha256: str
    parser: str
    chunker: str
    passages: int
    indexed_at: str
    meta_sha256: str = ""  # sidecar and catalogue bytes: editing metadata re-indexes

    def same_pipeline(self, sha256: str, parser: str, chunker: str, meta_sha256: str) -> bool:
        return (self.sha256, self.parser, self.chunker, self.meta_sha256) == (
            sha256,
            parser,
            chunker,
            meta_sha256,
        )


@dataclass
class Manifest:
    path: Path
    embedder: str = ""
    entries: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        if not path.exists():
            return cls(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            # A damaged manifest only costs a re-index: the store itself is intact.
            return cls(path)
        if raw.get("schema") != MANIFEST_SCHEMA:
            return cls(path)
        entries = {k: Entry(**v) for k, v in raw.get("documents", {}).items()}
        return cls(path, raw.get("embedder", ""), entries)

    def by_source(self) -> dict[str, str]:
        """source path → doc_id."""
        return {e.doc.get("source_path", ""): doc_id for doc_id, e in self.entries.items()}

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "schema": MANIFEST_SCHEMA,
            "embedder": self.embedder,
            "documents": {k: vars(v) for k, v in sorted(self.entries.items())},
        }
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".manifest-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
