"""BM25 over the passage table, asked in each passage language's own words.

A plain BM25 of an English question over French passages matches noise ("de", numbers,
names). Here every passage language gets its own query: the question's own words only
for passages in the question's language; for the others, the glossary's translations of
the question's concepts plus the words that cross languages (numbers, references,
acronyms, proper names).
"""

from __future__ import annotations

import re

import numpy as np
from rank_bm25 import BM25Okapi
from scipy.sparse import csc_matrix

from assistant.glossary import LANGS, translations
from assistant.table import PassageTable
from assistant.text import tokens

CROSSING = re.compile(r"^(?:\d[\w./-]*|[a-z]+\d[\w.-]*)$")


def lexical_text(text: str, meta: dict) -> str:
    """What BM25 sees for a passage: its text plus the names a question may use for it."""
    names = " ".join(str(meta.get(k, "")) for k in ("short_title", "title", "symbol", "locator"))
    return f"{names} {text}"


def crossing_tokens(question: str) -> list[str]:
    """Question words that mean the same in any language: numbers, symbols, names."""
    out = []
    for raw in re.findall(r"[\w./-]+", question):
        toks = tokens(raw)
        if not toks:
            continue
        if CROSSING.match(toks[0]) or (raw[:1].isupper() and raw[1:2].isupper()):
            out.extend(toks)
    caps = re.findall(r"(?<=[a-z,;:] )([A-Z][a-z]{3,})", question)  # mid-sentence names
    for word in caps:
        out.extend(tokens(word))
    return out


class LexicalIndex:
    """BM25 (rank-bm25's Okapi variant) over every passage of the table, scored through a
    precomputed sparse term-weight matrix, so a query costs its postings, not the corpus."""

    def __init__(self, table: PassageTable) -> None:
        self.table = table
        corpus = [tokens(lexical_text(r.text, r.meta)) or ["_"] for r in table.records]
        self.langs = np.array([str(r.meta.get("language", "")) for r in table.records])
        self.vocab: dict[str, int] = {}
        self.weights = None
        if not corpus:
            return
        bm25 = BM25Okapi(corpus)  # idf, document lengths and term counts, as rank-bm25 defines them
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

    def queries(self, question: str, qlang: str) -> dict[str, list[str]]:
        """The token query to run against passages of each language."""
        own = tokens(question)
        crossing = crossing_tokens(question)
        concept_terms = {lang: tokens(" ".join(translations(question, lang))) for lang in LANGS}
        out: dict[str, list[str]] = {}
        for lang in set(self.langs.tolist()) | set(LANGS):
            if qlang not in LANGS or lang == qlang:
                q = own + concept_terms.get(lang, [])
            else:
                q = crossing + concept_terms.get(lang, [])
            out[lang] = q
        return out

    def _score(self, terms: list[str]) -> np.ndarray:
        """BM25 of every row for a token query (repeated tokens count again, as in rank-bm25)."""
        counts: dict[int, int] = {}
        for t in terms:
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
        for lang, q in self.queries(question, qlang).items():
            rows = self.langs == lang
            if q and rows.any():
                out[rows] = self._score(q)[rows]
        return out
