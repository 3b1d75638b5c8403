"""The lexicon's side of indexing: the content words of each indexed document, embedded
once with the multilingual word encoder (``indexer.embedders.use``) and kept in the
store, one collection per language (see ``assistant.lexicon``)."""

from __future__ import annotations

from collections.abc import Sequence

from indexer.embedcache import CachedEmbedder
from indexer.embedders import BatchedEmbedder
from indexer.language import vocabulary
from indexer.models import Document, Passage
from indexer.settings import Settings
from indexer.store import Store


def document_vocabulary(doc: Document, passages: Sequence[Passage]) -> dict[str, set[str]]:
    """The content words of a document by passage language (what the lexicon aligns)."""
    out: dict[str, set[str]] = {}
    names = f"{doc.title} {doc.short_title}"
    for p in passages:
        lang = p.language or doc.language or "und"
        out.setdefault(lang, set()).update(
            vocabulary(f"{names} {' '.join(p.heading_path)} {p.text}", lang)
        )
    return out


class Vocabulary:
    """Adds the words of indexed documents to the store's lexicon, embedding only new ones."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self._embedder: BatchedEmbedder | None = None
        self.added = 0

    @property
    def embedder(self) -> BatchedEmbedder:
        if self._embedder is None:
            from indexer.embedders.use import UseEmbedder

            emb: BatchedEmbedder = UseEmbedder()
            if self.settings.embed_cache_path is not None:
                emb = CachedEmbedder(emb, self.settings.embed_cache_path)
            self._embedder = emb
        return self._embedder

    def add(self, by_lang: dict[str, set[str]]) -> None:
        for lang, words in sorted(by_lang.items()):
            new = self.store.missing_terms(lang, words)
            if new:
                self.store.add_terms(lang, new, self.embedder.embed_passages(new))
                self.added += len(new)

    def backfill(self) -> None:
        """A store indexed before the lexicon existed gets the words of all its passages."""
        if self.store.count() == 0 or self.store.term_languages():
            return
        by_lang: dict[str, set[str]] = {}
        for rec, _ in self.store.records():
            meta = rec.meta
            lang = str(meta.get("language") or "und")
            text = f"{meta.get('title', '')} {meta.get('short_title', '')} {meta.get('heading', '')} {rec.text}"
            by_lang.setdefault(lang, set()).update(vocabulary(text, lang))
        self.add(by_lang)
