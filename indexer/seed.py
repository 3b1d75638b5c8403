"""Vectors of the bundled corpus, shipped with it, so a first index takes seconds, not minutes.

The cards and records in ``corpus/`` are the same for every user; embedding their ~3,800
passages and sentences costs a quarter of an hour on two cores. ``corpus/.vectors/`` holds
one file per embedder: the SHA-256 of each embedded text and its vector, computed by the
packaged embedder (``python -m indexer.seed build``, also ``make vectors``). While
indexing, ``SeededEmbedder`` answers a text found there and embeds anything else (an
edited card, the user's own files), so a stale file only costs time, never correctness.
``python -m indexer.seed check`` says how much of the corpus the file covers.
"""

from __future__ import annotations

import hashlib
import re
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np

from indexer.embedders import BatchedEmbedder
from indexer.settings import BUNDLED_CORPUS

SEED_DIR = BUNDLED_CORPUS / ".vectors"


def seed_path(embedder_id: str) -> Path:
    return SEED_DIR / (re.sub(r"[^A-Za-z0-9._-]+", "_", embedder_id) + ".npz")


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


@lru_cache(maxsize=2)
def load_seed(path: str) -> dict[bytes, np.ndarray]:
    """key → vector from a seed file ({} when there is none or it cannot be read)."""
    try:
        with np.load(path) as data:
            keys, vectors = data["keys"], data["vectors"]
    except (OSError, KeyError, ValueError):
        return {}
    return {k.tobytes(): v for k, v in zip(keys, vectors, strict=True)}


class SeededEmbedder(BatchedEmbedder):
    """Passages whose text is in the bundled seed come from it; the rest are embedded."""

    def __init__(self, inner: BatchedEmbedder, seed: dict[bytes, np.ndarray]) -> None:
        self.inner, self.seed = inner, seed
        self.id, self.dim, self.batch_size = inner.id, inner.dim, inner.batch_size
        self.seeded = 0
        self.passed = 0  # texts handed to the embedder behind (a cache, or the model)

    @property
    def misses(self) -> int:
        """Texts really embedded: the wrapped cache's misses, else all those passed on."""
        return getattr(self.inner, "misses", self.passed)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing = []
        for i, text in enumerate(texts):
            vec = self.seed.get(text_key(text))
            if vec is not None and vec.shape == (self.dim,):
                out[i] = vec
            else:
                missing.append(i)
        self.seeded += len(texts) - len(missing)
        if missing:
            self.passed += len(missing)
            out[missing] = self.inner.embed_passages([texts[i] for i in missing])
        return out

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)


def seeded(embedder: BatchedEmbedder) -> BatchedEmbedder:
    """``embedder`` with the bundled seed in front of it, when a seed exists for it."""
    path = seed_path(embedder.id)
    seed = load_seed(str(path)) if path.exists() else {}
    return SeededEmbedder(embedder, seed) if seed else embedder


def corpus_texts(root: Path = BUNDLED_CORPUS) -> list[str]:
    """Every text the indexer embeds for the bundled corpus: passages and sentences."""
    from indexer.discovery import discover
    from indexer.documents import prepare, sentence_units, sha256_file
    from indexer.settings import Settings

    settings = Settings(home=Path("/nonexistent"), embed_cache="off")
    texts: list[str] = []
    for path in discover([root])[0]:
        prep = prepare(path, sha256_file(path), settings)
        texts += [p.embed_text(prep.doc) for p in prep.passages]
        texts += [f"{prep.doc.label}: {s}" for _, _, s in sentence_units(prep.passages, prep.doc)]
    return list(dict.fromkeys(texts))


def build(embedder: BatchedEmbedder) -> Path:
    """Embed every text of the bundled corpus (through the user's vector cache) and save."""
    texts = corpus_texts()
    vectors = embedder.embed_passages(texts).astype(np.float32)
    path = seed_path(embedder.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Raw bytes, not numpy's "S32" strings: those drop a digest's trailing zero bytes.
    keys = np.frombuffer(b"".join(text_key(t) for t in texts), dtype=np.uint8).reshape(-1, 32)
    np.savez_compressed(path, keys=keys, vectors=vectors)
    return path


def coverage(embedder_id: str) -> tuple[int, int]:
    """(texts of the corpus found in the seed, texts of the corpus)."""
    seed = load_seed(str(seed_path(embedder_id)))
    texts = corpus_texts()
    return sum(text_key(t) in seed for t in texts), len(texts)


def main(argv: list[str] | None = None) -> int:
    from indexer.embedcache import CachedEmbedder
    from indexer.embedders import make_embedder
    from indexer.settings import Settings

    args = argv if argv is not None else sys.argv[1:]
    settings = Settings.from_env()
    embedder = make_embedder(settings.embedder, settings.batch_size)
    if args[:1] == ["build"]:
        if settings.embed_cache_path is not None:
            embedder = CachedEmbedder(embedder, settings.embed_cache_path)
        print(f"wrote {build(embedder)}")
        return 0
    found, total = coverage(embedder.id)
    print(f"{found} of {total} texts of the bundled corpus are in {seed_path(embedder.id).name}")
    return 0 if found == total else 1


if __name__ == "__main__":
    raise SystemExit(main())
