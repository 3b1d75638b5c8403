"""Optional reranking of retrieved passages by a cross-encoder from a local folder.

No cross-encoder ships on PyPI, so none is bundled: a user who has one (a
sentence-transformers ``CrossEncoder`` directory) points ``VIGILANCE_RERANKER`` at it.
The retriever then fetches ``k × factor`` passages, the reranker re-scores each
(question, passage) pair, and the best ``k`` are kept. Loaded lazily: torch is only
imported when a reranker is configured.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from indexer.models import Hit


class Reranker(Protocol):
    """Re-scores hits for a question; returns them best first."""

    def __call__(self, question: str, hits: list[Hit], k: int) -> list[Hit]: ...


class CrossEncoderReranker:
    """A sentence-transformers ``CrossEncoder`` loaded from a local directory, offline."""

    factor = 3  # candidates fetched per hit kept

    def __init__(self, path: str | os.PathLike[str]) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        path = Path(path).expanduser()
        if not path.is_dir():
            raise FileNotFoundError(f"{path}: not a local cross-encoder directory")
        from sentence_transformers import CrossEncoder

        self.model = CrossEncoder(str(path), device="cpu", local_files_only=True, num_labels=1)

    def __call__(self, question: str, hits: list[Hit], k: int) -> list[Hit]:
        if not hits:
            return []
        pairs = [(question, f"{h.short_title or h.title} ({h.locator}): {h.text}") for h in hits]
        scores = [float(s) for s in self.model.predict(pairs, convert_to_numpy=True)]
        order = sorted(range(len(hits)), key=lambda i: -scores[i])[:k]
        return [
            replace(
                hits[i],
                rank=n,
                score=round(scores[i], 4),
                scores={**hits[i].scores, "rerank": scores[i]},
            )
            for n, i in enumerate(order, 1)
        ]


def make_reranker(spec: str) -> Reranker | None:
    """``VIGILANCE_RERANKER``: a cross-encoder directory, or empty for none."""
    return CrossEncoderReranker(spec) if spec.strip() else None
