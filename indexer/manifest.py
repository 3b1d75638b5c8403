"""The index manifest: what was indexed, from which bytes, with which pipeline.

Per document it keeps the sha256 of the source, the parser and chunker versions and
the number of passages; for the whole store, the embedder id. A document whose entry
matches all of these is not parsed or embedded again. Written atomically after each
document, so a killed run loses at most the document it was working on.

The indexer changes it one document at a time (``begin``, ``record``, ``drop``,
``forget``), the calls ``indexer.servermanifest.ServerManifest`` also answers, where the
manifest lives in the Chroma server and several indexers write it at once.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.errors import StoreError

MANIFEST_SCHEMA = 1


class ManifestError(StoreError):
    """The manifest file exists but cannot be read; the message is one line."""


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
    # Documents being written: saved before their passages go in, cleared after. One left
    # here by a killed run may have old and new passages both stored (see Run.__init__).
    writing: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """The manifest at ``path`` (empty when there is none); ManifestError when the file
        cannot be read as one, so nobody works from an empty list by mistake."""
        if not path.exists():
            return cls(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise ValueError("not a JSON object")
            if raw.get("schema") != MANIFEST_SCHEMA:
                raise ValueError(f"schema {raw.get('schema')!r}, expected {MANIFEST_SCHEMA}")
            entries = {k: Entry(**v) for k, v in raw.get("documents", {}).items()}
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc).splitlines()[0]
            raise ManifestError(f"the manifest {path} is damaged ({reason})") from exc
        writing = [str(doc_id) for doc_id in raw.get("writing") or []]
        return cls(path, raw.get("embedder", ""), entries, writing)

    @classmethod
    def recover(cls, path: Path) -> tuple[Manifest, str]:
        """For the indexer: the manifest, or, when damaged, an empty one after moving the
        damaged file aside (every file is then indexed again; the store keeps its passages
        and the vector cache spares most of the embedding). Returns a notice or ""."""
        try:
            return cls.load(path), ""
        except ManifestError as exc:
            aside = path.with_name(f"{path.name}.damaged-{int(time.time())}")
            os.replace(path, aside)
            return cls(path), f"{exc}; kept as {aside.name}, every file is indexed again"

    def by_source(self) -> dict[str, str]:
        """source path → doc_id."""
        return {e.doc.get("source_path", ""): doc_id for doc_id, e in self.entries.items()}

    # -- per-document changes (each saves the file) ------------------------------------
    def begin(self, doc_ids: list[str], source_path: str) -> None:
        """These documents are being written (saved before their passages go in)."""
        self.writing = list(doc_ids)
        self.save()

    def record(self, doc_id: str, entry: Entry) -> None:
        """A document is written: its entry in, the writing mark out, in one save."""
        self.entries[doc_id] = entry
        self.writing = []
        self.save()

    def drop(self, doc_id: str) -> None:
        self.entries.pop(doc_id, None)
        self.save()

    def interrupted(self, roots: list[Path]) -> list[str]:
        """Documents a killed run left half written (one indexer per file: all of them)."""
        return list(self.writing)

    def forget(self, doc_ids: list[str]) -> None:
        """Interrupted documents lose their entry and their writing mark."""
        for doc_id in doc_ids:
            self.entries.pop(doc_id, None)
        self.writing = [w for w in self.writing if w not in doc_ids]
        self.save()

    def clear(self) -> None:
        self.entries.clear()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "schema": MANIFEST_SCHEMA,
            "embedder": self.embedder,
            "writing": self.writing,
            "documents": {k: vars(v) for k, v in sorted(self.entries.items())},
        }
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".manifest-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
