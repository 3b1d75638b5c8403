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

from assistant.glossary import LANGS, find_concepts, translations
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
    """BM25Okapi over every passage of the table; scores come back per table row."""

    def __init__(self, table: PassageTable) -> None:
        self.table = table
        corpus = [tokens(lexical_text(r.text, r.meta)) for r in table.records]
        self.langs = np.array([str(r.meta.get("language", "")) for r in table.records])
        self.bm25 = BM25Okapi([c or ["_"] for c in corpus]) if corpus else None

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

    def scores(self, question: str, qlang: str) -> np.ndarray:
        """BM25 score of every table row, each row scored with its language's query."""
        n = len(self.table)
        out = np.zeros(n, dtype=np.float32)
        if self.bm25 is None:
            return out
        for lang, q in self.queries(question, qlang).items():
            rows = np.flatnonzero(self.langs == lang)
            if not q or rows.size == 0:
                continue
            out[rows] = np.asarray(self.bm25.get_batch_scores(q, rows.tolist()), dtype=np.float32)
        return out

    @staticmethod
    def concept_count(question: str) -> int:
        return len(find_concepts(question))
