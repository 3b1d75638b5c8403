"""The bundled corpus's shipped vectors: complete, equal to the packaged embedder's, and
never used for a text they do not hold."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.seed import SeededEmbedder, corpus_texts, coverage, load_seed, seed_path, text_key

pytestmark = pytest.mark.slow


def test_the_shipped_vectors_cover_the_bundled_corpus(embedder):
    found, total = coverage(embedder.id)
    assert found == total, (
        f"{total - found} of {total} texts of corpus/ have no shipped vector: run `make vectors`"
    )


def test_shipped_vectors_are_the_packaged_embedders(embedder):
    seed = load_seed(str(seed_path(embedder.id)))
    texts = corpus_texts()[::400]  # a sample across cards, records and languages
    fresh = embedder.embed_passages(texts)
    shipped = np.vstack([seed[text_key(t)] for t in texts])
    cosines = (fresh * shipped).sum(axis=1) / (
        np.linalg.norm(fresh, axis=1) * np.linalg.norm(shipped, axis=1)
    )
    assert cosines.min() > 0.999, cosines


class Counting:
    id, dim, batch_size = "fake", 3, 8

    def __init__(self) -> None:
        self.texts: list[str] = []

    def embed_passages(self, texts):
        self.texts += list(texts)
        return np.ones((len(texts), 3), dtype=np.float32)

    def embed_queries(self, texts):
        return np.ones((len(texts), 3), dtype=np.float32)


def test_a_text_missing_from_the_seed_is_embedded():
    inner = Counting()
    known = np.array([0.0, 1.0, 0.0], dtype=np.float32)
    wrapped = SeededEmbedder(inner, {text_key("a card point"): known})
    out = wrapped.embed_passages(["a card point", "an edited card point"])
    assert inner.texts == ["an edited card point"]
    assert out[0].tolist() == [0.0, 1.0, 0.0] and out[1].tolist() == [1.0, 1.0, 1.0]
    assert (wrapped.seeded, wrapped.misses) == (1, 1)
