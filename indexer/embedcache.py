"""A content-addressed cache of passage vectors, so the same text is never embedded twice.

Re-chunking a document (a new chunker version, another ``VIGILANCE_MAX_CHARS``), a
``--rebuild`` or a second store over the same files mostly re-embeds text already
embedded: the cache answers those from disk. Keys are the SHA-256 of the text, per
embedder id; values are the float32 vectors. One SQLite file, safe for several processes.
Questions are never cached (they are cheap and private).
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np

from indexer.embedders import BatchedEmbedder


class CachedEmbedder(BatchedEmbedder):
    """Wraps an embedder: passages are looked up by content hash before being embedded."""

    def __init__(self, inner: BatchedEmbedder, path: Path) -> None:
        self.inner = inner
        self.id = inner.id
        self.dim = inner.dim
        self.batch_size = inner.batch_size
        self.path = path
        self.hits = 0
        self.misses = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=60, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (embedder TEXT, key BLOB, vec BLOB, "
            "PRIMARY KEY (embedder, key)) WITHOUT ROWID"
        )

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.sha256(text.encode("utf-8")).digest()

    def _lookup(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            rows = self._db.execute(
                f"SELECT key, vec FROM vectors WHERE embedder = ? AND key IN ({','.join('?' * len(chunk))})",
                [self.id, *chunk],
            ).fetchall()
            for k, blob in rows:
                vec = np.frombuffer(blob, dtype=np.float32)
                if vec.shape == (self.dim,):
                    found[k] = vec
        return found

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        keys = [self.key(t) for t in texts]
        found = self._lookup(keys)
        missing = [i for i, k in enumerate(keys) if k not in found]
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        if missing:
            vecs = self.inner.embed_passages([texts[i] for i in missing])
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                    [
                        (self.id, keys[i], vecs[j].astype(np.float32).tobytes())
                        for j, i in enumerate(missing)
                    ],
                )
            for j, i in enumerate(missing):
                found[keys[i]] = vecs[j]
        return np.vstack([found[k] for k in keys]).astype(np.float32, copy=False)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)

    def close(self) -> None:
        self._db.close()
