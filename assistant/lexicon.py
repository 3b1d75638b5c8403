"""The store's cross-lingual lexicon: a question's words in the languages of the passages.

The indexer keeps every content word of the store with a vector from a multilingual
encoder trained on translation pairs (``indexer.embedders.use``). A word of an English
question finds its nearest French words *among the words the French documents actually
use* ("bidder" → "soumissionnaire", "fees" → "frais"), so an English question can be
matched word for word against a French report with no dictionary and no translation
model, for any language pair the encoder knows.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from indexer.embedders import BatchedEmbedder
from indexer.language import long_enough, stopwords, words
from indexer.store import Store


@dataclass(frozen=True)
class LexiconConfig:
    threshold: float = 0.6  # cosine from which a word counts as a translation
    per_word: int = 2  # translations kept per word and language
    cache_size: int = 20000  # (word, language) pairs remembered by one process


def question_words(text: str, lang: str) -> list[str]:
    """The words of a question worth translating: alphabetic, 3+ letters (2 Chinese
    characters), not stop words."""
    stop = stopwords(lang)
    return list(
        dict.fromkeys(w for w in words(text) if long_enough(w) and w.isalpha() and w not in stop)
    )


class Lexicon:
    """Translations of words into a language, from the store's own vocabulary."""

    def __init__(
        self,
        store: Store,
        embedder: BatchedEmbedder | None = None,
        config: LexiconConfig | None = None,
    ) -> None:
        self.store = store
        self.config = config or LexiconConfig()
        self._embedder = embedder
        self._cache: OrderedDict[tuple[str, str], list[tuple[str, float]]] = OrderedDict()
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._load_lock = threading.Lock()

    @property
    def embedder(self) -> BatchedEmbedder:
        with self._load_lock:
            if self._embedder is None:
                from indexer.embedders.use import UseEmbedder

                self._embedder = UseEmbedder()
                self._embedder.embed_queries(["warm"])  # the weights load on first use
            return self._embedder

    def warm(self) -> None:
        """Load the word encoder in the background (about 2 s), while the process does the
        rest of its start-up: the first question then does not wait for it."""
        threading.Thread(target=lambda: self.embedder, name="lexicon-warm", daemon=True).start()

    def vectors(self, words: list[str], source: str = "") -> np.ndarray:
        """Word vectors, each word encoded once whatever the languages it is translated into.

        A word the store's ``source`` lexicon already holds is read from it (the indexer
        encoded it with the same encoder): one lookup instead of running the encoder."""
        with self._lock:
            todo = [w for w in dict.fromkeys(words) if w not in self._vectors]
        found = self.store.term_vectors(source, todo) if todo and source else {}
        todo = [w for w in todo if w not in found]
        if todo:
            found.update(zip(todo, self.embedder.embed_queries(todo), strict=True))
        if found:
            with self._lock:
                self._vectors.update(found)
                while len(self._vectors) > self.config.cache_size:
                    self._vectors.popitem(last=False)
        with self._lock:
            return np.vstack([self._vectors[w] for w in words])

    def translate(
        self, terms: list[str], lang: str, source: str = ""
    ) -> dict[str, list[tuple[str, float]]]:
        """For each word (of language ``source``), its closest words of ``lang`` in the
        store, above the threshold."""
        out: dict[str, list[tuple[str, float]]] = {}
        todo = []
        with self._lock:
            for w in terms:
                hit = self._cache.get((w, lang))
                if hit is None:
                    todo.append(w)
                else:
                    self._cache.move_to_end((w, lang))
                    out[w] = hit
        if todo:
            found = self.store.nearest_terms(self.vectors(todo, source), lang, self.config.per_word)
            with self._lock:
                for w, near in zip(todo, found, strict=True):
                    kept = [(t, s) for t, s in near if s >= self.config.threshold]
                    out[w] = kept
                    self._cache[(w, lang)] = kept
                while len(self._cache) > self.config.cache_size:
                    self._cache.popitem(last=False)
        return {w: out[w] for w in terms}  # in the words' order, cached or not: same sums
