"""BM25 over the passage table, asked in each passage language's own words.

A plain BM25 of an English question over French passages matches noise ("de", numbers,
names). Here every passage language gets its own query, stemmed by that language's
stemmer: the question's own words for passages in the question's language; for the
others, the question's words translated through the store's lexicon
(``assistant.lexicon``) and the glossary, plus the words that cross languages (numbers,
references, acronyms, proper names).
"""

from __future__ import annotations

import re

import numpy as np
from rank_bm25 import BM25Okapi
from scipy.sparse import csc_matrix

from assistant.glossary import translations
from assistant.lexicon import Lexicon, question_words
from assistant.table import PassageTable
from indexer.language import fold, stem, terms

CROSSING = re.compile(r"^(?:\d[\w./-]*|[a-z]+\d[\w.-]*)$")


def lexical_text(text: str, meta: dict) -> str:
    """What BM25 sees for a passage: its text plus the names a question may use for it."""
    names = " ".join(
        str(meta.get(k, "")) for k in ("short_title", "title", "symbol", "locator", "heading")
    )
    return f"{names} {text}"


def crossing_tokens(question: str) -> list[str]:
    """Question words that mean the same in any language: numbers, symbols, acronyms, names."""
    out = []
    for raw in re.findall(r"[\w./-]+", question):
        folded = fold(raw).strip(".-/")
        if not folded:
            continue
        if CROSSING.match(folded) or (raw[:1].isupper() and raw[1:2].isupper()):
            out.append(folded)
    out += [fold(w) for w in re.findall(r"(?<=[a-z,;:] )([A-Z][a-z]{3,})", question)]
    return out


class LexicalIndex:
    """BM25 (rank-bm25's Okapi variant) over every passage of the table, scored through a
    precomputed sparse term-weight matrix, so a query costs its postings, not the corpus."""

    def __init__(self, table: PassageTable, lexicon: Lexicon | None = None) -> None:
        self.table = table
        self.lexicon = lexicon
        self.langs = np.array([str(r.meta.get("language", "")) for r in table.records])
        corpus = [
            terms(lexical_text(r.text, r.meta), lang) or ["_"]
            for r, lang in zip(table.records, self.langs, strict=True)
        ]
        self.vocab: dict[str, int] = {}
        self.weights = None
        if not corpus:
            return
        bm25 = BM25Okapi(corpus)  # idf, document lengths and term counts, as rank-bm25 defines them
        self._idf = bm25.idf
        self._idf_max = max(bm25.idf.values(), default=1.0)
        rows, cols, vals = [], [], []
        for row, freqs in enumerate(bm25.doc_freqs):
            norm = bm25.k1 * (1 - bm25.b + bm25.b * bm25.doc_len[row] / bm25.avgdl)
            for term, tf in freqs.items():
                col = self.vocab.setdefault(term, len(self.vocab))
                rows.append(row)
                cols.append(col)
                vals.append(bm25.idf.get(term, 0.0) * tf * (bm25.k1 + 1) / (tf + norm))
        self.weights = csc_matrix(
            (np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(len(corpus), len(self.vocab))
        )

    def idf(self, term: str) -> float:
        """BM25 idf of a stemmed term; a term the store never uses counts as the rarest."""
        if self.weights is None:
            return 1.0
        return max(float(self._idf.get(term, self._idf_max)), 0.05)

    def translated(self, question: str, qlang: str, lang: str) -> list[str]:
        """The question's words in ``lang``, from the lexicon and the glossary (unstemmed)."""
        out = list(translations(question, lang))
        if self.lexicon is not None:
            found = self.lexicon.translate(question_words(question, qlang), lang)
            out += [t for near in found.values() for t, _ in near]
        return out

    def queries(self, question: str, qlang: str) -> dict[str, list[str]]:
        """The stemmed token query to run against passages of each language."""
        crossing = crossing_tokens(question)
        out: dict[str, list[str]] = {}
        for lang in sorted(set(self.langs.tolist())):
            if lang == qlang:
                out[lang] = terms(question, lang)
            else:
                words = self.translated(question, qlang, lang)
                out[lang] = [stem(w, lang) for w in crossing] + terms(" ".join(words), lang)
        return out

    def _score(self, query: list[str]) -> np.ndarray:
        """BM25 of every row for a token query (repeated tokens count again, as in rank-bm25)."""
        counts: dict[int, int] = {}
        for t in query:
            if t in self.vocab:
                counts[self.vocab[t]] = counts.get(self.vocab[t], 0) + 1
        if not counts:
            return np.zeros(self.weights.shape[0], dtype=np.float32)
        cols = list(counts)
        mult = np.asarray([counts[c] for c in cols], dtype=np.float32)
        return np.asarray(self.weights[:, cols] @ mult).ravel()

    def scores(self, question: str, qlang: str) -> np.ndarray:
        """BM25 score of every table row, each row scored with its language's query."""
        out = np.zeros(len(self.table), dtype=np.float32)
        if self.weights is None:
            return out
        for lang, query in self.queries(question, qlang).items():
            rows = self.langs == lang
            if query and rows.any():
                out[rows] = self._score(query)[rows]
        return out
