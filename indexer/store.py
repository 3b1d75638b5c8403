"""The vector store: Chroma, embedded in the data directory or behind a ``chroma run`` server.

Two collections: one vector per passage, and one per sentence of multi-sentence passages
(retrieval scores a passage by its best sentence as well as as a whole). Vectors always
come from our embedder: Chroma's own embedding function is never used.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import numpy as np

from indexer.errors import StoreError
from indexer.models import Document, Passage
from indexer.probes import METADATA_KEY
from indexer.settings import Settings

PAGE = 2000  # rows per get() call: keeps memory flat on big stores


def passage_metadata(p: Passage, doc: Document) -> dict[str, Any]:
    """Flat metadata Chroma can filter on; never None (Chroma rejects it)."""
    return {
        "doc_id": doc.doc_id,
        "title": doc.title,
        "short_title": doc.short_title,
        "symbol": doc.symbol,
        "type": doc.type,
        "jurisdiction": doc.jurisdiction,
        "year": doc.year if doc.year is not None else -1,
        "binding": doc.binding,
        "status": doc.status,
        "doc_language": doc.language,
        "language": p.language or doc.language,
        "url": doc.url,
        "source_path": doc.source_path,
        "collection": doc.collection,
        "aliases": " | ".join(doc.aliases),
        "locator": p.locator,
        "seq": p.seq,
        "kind": p.kind,
        "part": p.part,
        "page_start": p.page_start if p.page_start is not None else -1,
        "page_end": p.page_end if p.page_end is not None else -1,
        "heading": " > ".join(p.heading_path),
        "cited_by": p.cited_by,
        "footnote_ids": ",".join(p.footnote_ids),
    }


@dataclass
class Record:
    """One stored passage as read back: id, text and flat metadata."""

    id: str
    text: str
    meta: dict[str, Any]
    vector: np.ndarray | None = field(default=None, repr=False, compare=False)


def connect(settings: Settings) -> Any:
    """A Chroma client: the server at ``VIGILANCE_CHROMA_URL``, or the embedded store in
    the data directory. ``StoreError`` when the server cannot be reached."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if not settings.chroma_url:
        settings.store_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(
            path=str(settings.store_dir / "chroma"), settings=chroma_settings
        )
    url = urlparse(settings.chroma_url)
    try:
        client = chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or 8000,
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
        client.heartbeat()
    except Exception as exc:
        raise StoreError(f"cannot reach the Chroma server at {settings.chroma_url}: {exc}") from exc
    return client


class Store:
    """A Chroma collection pair bound to one embedder id."""

    def __init__(
        self, settings: Settings, embedder_id: str, *, create: bool = True, rebuild: bool = False
    ) -> None:
        self.settings = settings
        self.embedder_id = embedder_id
        self.client = connect(settings)
        name = settings.collection
        if rebuild:
            for col in self.client.list_collections():
                if col.name in (
                    name,
                    f"{name}-sentences",
                    f"{name}-manifest",
                ) or col.name.startswith(f"{name}-terms-"):
                    self.client.delete_collection(col.name)
        self.passages = self._collection(name, create)
        self.sentences = self._collection(f"{name}-sentences", create)
        self._terms: dict[str, Any] = {}  # the lexicon's collections, opened when first used

    # -- the lexicon: one collection of word vectors per language ---------------------------
    def terms(self, lang: str, create: bool = False):
        """The word vectors of ``lang`` (``assistant.lexicon``), or None when there are none.

        One collection per language, so a nearest-word query needs no filter (a filtered
        HNSW query is five times slower)."""
        name = f"{self.settings.collection}-terms-{lang}"
        col = self._terms.get(name)
        if col is None:
            existing = {c.name for c in self.client.list_collections()}
            if name in existing:
                col = self.client.get_collection(name, embedding_function=None)
            elif create:  # get_or_create: another indexer may create it at the same moment
                col = self.client.get_or_create_collection(
                    name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
                )
            else:
                return None
            self._terms[name] = col
        return col

    def term_languages(self) -> list[str]:
        prefix = f"{self.settings.collection}-terms-"
        return sorted(
            c.name[len(prefix) :]
            for c in self.client.list_collections()
            if c.name.startswith(prefix)
        )

    def missing_terms(self, lang: str, words: Sequence[str]) -> list[str]:
        """The words of ``lang`` the lexicon does not hold yet."""
        col = self.terms(lang)
        words = sorted(set(words))
        if col is None:
            return words
        have: set[str] = set()
        for i in range(0, len(words), PAGE):
            have.update(col.get(ids=list(words[i : i + PAGE]), include=[])["ids"])
        return [w for w in words if w not in have]

    def term_vectors(self, lang: str, words: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those ``words`` the lexicon of ``lang`` holds."""
        col = self.terms(lang)
        if col is None or not words:
            return {}
        got = col.get(ids=list(words), include=["embeddings"])
        return {
            w: np.asarray(v, dtype=np.float32)
            for w, v in zip(got["ids"], got["embeddings"], strict=True)
        }

    def add_terms(self, lang: str, words: Sequence[str], vectors: np.ndarray) -> None:
        col = self.terms(lang, create=True)
        for i in range(0, len(words), PAGE):
            col.upsert(ids=list(words[i : i + PAGE]), embeddings=vectors[i : i + PAGE])

    def nearest_terms(
        self, vectors: np.ndarray, lang: str, n: int
    ) -> list[list[tuple[str, float]]]:
        """For each vector, the ``n`` closest words of ``lang`` with their cosine."""
        col = self.terms(lang)
        if len(vectors) == 0 or col is None:
            return [[] for _ in range(len(vectors))]
        # No count first: an empty collection answers with no ids (a round trip saved).
        got = col.query(query_embeddings=list(vectors), n_results=n, include=["distances"])
        return [
            [(w, 1.0 - float(d)) for w, d in zip(ids, dists, strict=True)]
            for ids, dists in zip(got["ids"], got["distances"], strict=True)
        ]

    def _collection(self, name: str, create: bool):
        if not create and name not in {c.name for c in self.client.list_collections()}:
            raise StoreError("the store is empty: run 'vigilance index' first")
        # get_or_create: two indexers starting on an empty server both create it, once.
        col = self.client.get_or_create_collection(
            name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": self.embedder_id},
        )
        found = (col.metadata or {}).get("embedder")
        if found and found != self.embedder_id:
            raise StoreError(
                f"the store was built with embedder {found!r}, not {self.embedder_id!r}: "
                "re-run with --rebuild, or choose the same embedder (VIGILANCE_EMBEDDER)"
            )
        return col

    def _passage_metadata(self) -> dict[str, Any]:
        """The passage collection's metadata as the store holds it now (another process
        may have saved a probe floor since this one opened the collection)."""
        col = self.client.get_collection(self.passages.name, embedding_function=None)
        return dict(col.metadata or {})

    def probes(self) -> dict[str, Any]:
        """The off-topic probe floor saved with the store (``indexer.probes``), or {}."""
        raw = self._passage_metadata().get(METADATA_KEY)
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            return {}

    def save_probes(self, floor: dict[str, Any]) -> None:
        meta = {k: v for k, v in self._passage_metadata().items() if k != "hnsw:space"}
        meta[METADATA_KEY] = json.dumps(floor, sort_keys=True)
        self.passages.modify(metadata=meta)

    # -- writing -----------------------------------------------------------------------
    def upsert_document(
        self,
        doc: Document,
        passages: Sequence[Passage],
        vectors: np.ndarray,
        sentences: Sequence[tuple[str, int, str]] = (),
        sentence_vectors: np.ndarray | None = None,
    ) -> None:
        """Write a document's passages, then remove the ones it no longer has.

        New rows go in before old ones go out, so an interrupted run never leaves a
        document without passages; ids are content hashes, so a re-run is idempotent.
        """
        old_ids = set(self.doc_passage_ids(doc.doc_id))
        metas = [passage_metadata(p, doc) for p in passages]
        for i in range(0, len(passages), PAGE):
            self.passages.upsert(
                ids=[p.passage_id for p in passages[i : i + PAGE]],
                embeddings=vectors[i : i + PAGE],
                documents=[p.text for p in passages[i : i + PAGE]],
                metadatas=metas[i : i + PAGE],
            )
        by_id = {p.passage_id: m for p, m in zip(passages, metas, strict=True)}
        old_sentence_ids = set(self._ids(self.sentences, {"doc_id": doc.doc_id}))
        if sentences and sentence_vectors is not None:
            sids = [f"{pid}:{n}" for pid, n, _ in sentences]
            smetas = [{**by_id[pid], "passage_id": pid, "n": n} for pid, n, _ in sentences]
            for i in range(0, len(sids), PAGE):
                self.sentences.upsert(
                    ids=sids[i : i + PAGE],
                    embeddings=sentence_vectors[i : i + PAGE],
                    documents=[s for _, _, s in sentences[i : i + PAGE]],
                    metadatas=smetas[i : i + PAGE],
                )
            old_sentence_ids -= set(sids)
        self._delete(self.passages, sorted(old_ids - set(by_id)))
        self._delete(self.sentences, sorted(old_sentence_ids))

    def delete_document(self, doc_id: str) -> None:
        self._delete(self.passages, self.doc_passage_ids(doc_id))
        self._delete(self.sentences, self._ids(self.sentences, {"doc_id": doc_id}))

    @staticmethod
    def _delete(col, ids: list[str]) -> None:
        for i in range(0, len(ids), PAGE):
            col.delete(ids=ids[i : i + PAGE])

    # -- reading -----------------------------------------------------------------------
    @staticmethod
    def _ids(col, where: dict[str, Any]) -> list[str]:
        return list(col.get(where=where, include=[])["ids"])

    def doc_passage_ids(self, doc_id: str) -> list[str]:
        return self._ids(self.passages, {"doc_id": doc_id})

    def count(self) -> int:
        return self.passages.count()

    def records(
        self, with_vectors: bool = False, where: dict[str, Any] | None = None
    ) -> Iterator[tuple[Record, np.ndarray | None]]:
        """Every stored passage (or those ``where`` selects), page by page."""
        include = ["documents", "metadatas"] + (["embeddings"] if with_vectors else [])
        offset = 0
        while True:
            got = self.passages.get(where=where, include=include, limit=PAGE, offset=offset)
            ids = got["ids"]
            if not ids:
                return
            embs = got.get("embeddings") if with_vectors else None
            for i, pid in enumerate(ids):
                vec = np.asarray(embs[i], dtype=np.float32) if embs is not None else None
                yield Record(pid, got["documents"][i], dict(got["metadatas"][i]), vec), vec
            offset += len(ids)

    def query(
        self, vector: np.ndarray, n: int, where: dict[str, Any] | None, sentences: bool = False
    ) -> list[tuple[str, float]]:
        """Nearest passages (or sentences, mapped to their passage) as (passage_id, cosine)."""
        col = self.sentences if sentences else self.passages
        # No count first: Chroma returns what it has when asked for more (a round trip saved).
        # Distances only: a sentence's id names its passage (``pid:n``, ``upsert_document``),
        # so no metadata crosses the wire.
        got = col.query(
            query_embeddings=[vector], n_results=n, where=where or None, include=["distances"]
        )
        return [
            (sid.rsplit(":", 1)[0] if sentences else sid, 1.0 - float(dist))
            for sid, dist in zip(got["ids"][0], got["distances"][0], strict=True)
        ]

    def sentence_vectors(
        self, passage_ids: list[str]
    ) -> dict[str, list[tuple[int, str, np.ndarray]]]:
        """The stored sentence vectors of these passages: pid → [(n, sentence, vector)]."""
        if not passage_ids:
            return {}
        got = self.sentences.get(
            where={"passage_id": {"$in": list(passage_ids)}},
            include=["documents", "metadatas", "embeddings"],
        )
        out: dict[str, list[tuple[int, str, np.ndarray]]] = {}
        for text, meta, vec in zip(
            got["documents"], got["metadatas"], got["embeddings"], strict=True
        ):
            out.setdefault(meta["passage_id"], []).append(
                (int(meta["n"]), text, np.asarray(vec, dtype=np.float32))
            )
        for rows in out.values():
            rows.sort(key=lambda r: r[0])
        return out

    def passage_vectors(self, passage_ids: list[str]) -> dict[str, np.ndarray]:
        if not passage_ids:
            return {}
        got = self.passages.get(ids=list(passage_ids), include=["embeddings"])
        return {
            pid: np.asarray(vec, dtype=np.float32)
            for pid, vec in zip(got["ids"], got["embeddings"], strict=True)
        }
