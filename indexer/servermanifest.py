"""The manifest in server mode: kept in the Chroma server, next to the passages it describes.

Every indexer and every answering process, on any machine, reads the same one. It is the
companion collection ``<collection>-manifest`` with one record per document (id
``doc:<doc_id>``, the entry as JSON), one per document being written (``writing:<doc_id>``,
with its source path) and a header (``~header``: the embedder and a change token). Writes
are per document (upsert or delete of that document's records), never a rewrite of the
whole, so indexers working on different folders at once never overwrite each other; each
write also puts a new change token in the header, which is the version answering
processes compare to know when to reload (``manifest_version``).

A manifest kept by an older Vigilance on the indexing machine's disk
(``$VIGILANCE_HOME/servers/<hash>.manifest.json``) is pushed to the server the first time
the server has none, then renamed ``*.pushed``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

from indexer.manifest import MANIFEST_SCHEMA, Entry, Manifest, ManifestError
from indexer.settings import Settings
from indexer.store import PAGE, connect

HEADER = "~header"
DUMMY = [1.0]  # Chroma wants a vector per record; the manifest is never searched


def legacy_path(settings: Settings) -> Path:
    """Where an older Vigilance kept a server's manifest, on the indexing machine."""
    key = hashlib.sha1(f"{settings.chroma_url}|{settings.collection}".encode()).hexdigest()
    return settings.home / "servers" / f"{key[:12]}.manifest.json"


def under(source_path: str, roots: list[Path]) -> bool:
    src = Path(source_path)
    return any(src == r or r in src.parents for r in roots)


class ServerManifest:
    """The manifest as records of the server's companion collection (same calls as
    ``indexer.manifest.Manifest``)."""

    def __init__(self, client: Any, collection: str, legacy: Path | None = None) -> None:
        self.client, self.name, self.legacy = client, f"{collection}-manifest", legacy
        self.path = f"the {self.name} collection of the Chroma server"  # for messages
        self.col = self._open()
        self.embedder = ""
        self.entries: dict[str, Entry] = {}
        self.writing: list[str] = []  # interrupted or in progress, by any indexer
        self._sources: dict[str, str] = {}  # doc id being written → its source path
        self._mine: list[str] = []  # what this process is writing
        self._header_embedder: str | None = None  # as stored; None: no header yet

    def _open(self) -> Any:
        return self.client.get_or_create_collection(
            self.name, embedding_function=None, metadata={"vigilance": "manifest"}
        )

    # -- reading -----------------------------------------------------------------------
    def load(self) -> ServerManifest:
        """Every record, page by page; ``ManifestError`` for a record that is not an entry."""
        offset = 0
        while True:
            got = self.col.get(include=["documents", "metadatas"], limit=PAGE, offset=offset)
            if not got["ids"]:
                break
            for rid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                self._read(rid, text, dict(meta or {}))
            offset += len(got["ids"])
        if self._header_embedder is None and not self.entries:
            self._migrate()
        return self

    def _read(self, rid: str, text: str, meta: dict[str, Any]) -> None:
        kind, doc_id = meta.get("kind"), str(meta.get("doc_id", ""))
        if kind == "header":
            self.embedder = self._header_embedder = str(meta.get("embedder", ""))
        elif kind == "writing":
            self.writing.append(doc_id)
            self._sources[doc_id] = str(meta.get("source_path", ""))
        elif kind == "entry":
            try:
                self.entries[doc_id] = Entry(**json.loads(text))
            except (ValueError, TypeError) as exc:
                reason = str(exc).splitlines()[0]
                raise ManifestError(f"{self.path}: record {rid!r} is damaged ({reason})") from exc

    def _migrate(self) -> None:
        """Push a manifest an older Vigilance kept on this machine's disk, once."""
        if self.legacy is None or not self.legacy.exists():
            return
        try:
            old = Manifest.load(self.legacy)
        except ManifestError:  # damaged: left where it is, the indexer rebuilds the entries
            return
        items = sorted(old.entries.items())
        for i in range(0, len(items), PAGE):
            self._put([self._entry_record(d, e) for d, e in items[i : i + PAGE]])
        self.entries.update(old.entries)
        self.embedder = old.embedder
        self._bump()
        with contextlib.suppress(OSError):  # a read-only home: a second push changes nothing
            os.replace(self.legacy, self.legacy.with_name(f"{self.legacy.name}.pushed"))

    def version(self) -> str:
        """The change token (one small read): it differs after any change; "" when the
        server has no manifest."""
        got = self.col.get(ids=[HEADER], include=["metadatas"])
        return str((got["metadatas"] or [{}])[0].get("changed", "")) if got["ids"] else ""

    def by_source(self) -> dict[str, str]:
        return {e.doc.get("source_path", ""): doc_id for doc_id, e in self.entries.items()}

    # -- per-document changes ------------------------------------------------------------
    def begin(self, doc_ids: list[str], source_path: str) -> None:
        meta = {"kind": "writing", "source_path": source_path}
        self._put([(f"writing:{d}", "", {**meta, "doc_id": d}) for d in doc_ids])
        self._mine = list(doc_ids)

    def record(self, doc_id: str, entry: Entry) -> None:
        self._put([self._entry_record(doc_id, entry)])
        self.entries[doc_id] = entry
        self._delete([f"writing:{d}" for d in self._mine])
        self._mine = []
        self._bump()

    def drop(self, doc_id: str) -> None:
        self._delete([f"doc:{doc_id}", f"writing:{doc_id}"])
        self.entries.pop(doc_id, None)
        self._bump()

    def interrupted(self, roots: list[Path]) -> list[str]:
        """Documents left half written under ``roots``, the folders this run indexes: a
        document another indexer is writing elsewhere at this moment is not touched."""
        return [d for d in self.writing if under(self._sources.get(d, ""), roots)]

    def forget(self, doc_ids: list[str]) -> None:
        self._delete([f"{k}:{d}" for d in doc_ids for k in ("doc", "writing")])
        for doc_id in doc_ids:
            self.entries.pop(doc_id, None)
        self.writing = [w for w in self.writing if w not in doc_ids]
        self._bump()

    def clear(self) -> None:
        """Every record goes (``--rebuild``)."""
        if self.name in {c.name for c in self.client.list_collections()}:
            self.client.delete_collection(self.name)
        self.col = self._open()
        self.entries.clear()
        self.writing, self._header_embedder = [], None

    def save(self) -> None:
        """Only the header: entries are written as they change. Left alone when it already
        says this embedder, so a run that changed nothing makes nobody reload."""
        if self._header_embedder != self.embedder:
            self._bump()

    # -- records -------------------------------------------------------------------------
    @staticmethod
    def _entry_record(doc_id: str, entry: Entry) -> tuple[str, str, dict[str, Any]]:
        meta = {"kind": "entry", "doc_id": doc_id, "indexed_at": entry.indexed_at}
        meta["source_path"] = str(entry.doc.get("source_path", ""))
        return f"doc:{doc_id}", json.dumps(vars(entry), ensure_ascii=False), meta

    def _put(self, rows: list[tuple[str, str, dict[str, Any]]]) -> None:
        if rows:
            self.col.upsert(
                ids=[r[0] for r in rows],
                documents=[r[1] for r in rows],
                metadatas=[r[2] for r in rows],
                embeddings=[DUMMY] * len(rows),
            )

    def _delete(self, ids: list[str]) -> None:
        if ids:
            self.col.delete(ids=ids)

    def _bump(self) -> None:
        """A new change token: unique, so a stale one is never written back by mistake."""
        token = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}"
        meta = {"kind": "header", "embedder": self.embedder, "schema": MANIFEST_SCHEMA}
        self._put([(HEADER, "", {**meta, "changed": token})])
        self._header_embedder = self.embedder


def open_manifest(settings: Settings, client: Any = None) -> Manifest | ServerManifest:
    """The manifest of the store ``settings`` point to, loaded: the JSON file in embedded
    mode, the server's companion collection in server mode (``client`` saves a connection).
    ``ManifestError`` when it cannot be read."""
    if not settings.chroma_url:
        return Manifest.load(settings.manifest_path)
    return ServerManifest(
        client or connect(settings), settings.collection, legacy_path(settings)
    ).load()


def open_for_indexing(settings: Settings) -> tuple[Manifest | ServerManifest, str]:
    """For the indexer: the manifest and a notice ("" or what was recovered)."""
    if not settings.chroma_url:
        return Manifest.recover(settings.manifest_path)
    return open_manifest(settings), ""


def manifest_version(
    settings: Settings, server: ServerManifest | None = None
) -> tuple[Any, ...] | None:
    """What changes whenever the manifest does (cheap: a file stat, or one small read of
    the server, through ``server`` when given); None when there is no manifest yet."""
    if settings.chroma_url:
        server = server or ServerManifest(connect(settings), settings.collection)
        token = server.version()
        return ("server", token) if token else None
    path = settings.manifest_path
    if not path.exists():
        return None
    stat = path.stat()
    return (stat.st_mtime_ns, stat.st_size)
