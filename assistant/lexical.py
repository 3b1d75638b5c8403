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

from assistant.glossary import translations
from assistant.lexicon import Lexicon, question_words
from assistant.table import PassageTable
from indexer.language import fold, stem, terms

CROSSING = re.compile(r"^(?:\d[\w./-]*|[a-z]+\d[\w.-]*)$")


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
    """BM25 (rank-bm25's Okapi variant) over every passage of the table, scored from the
    catalog's memory-mapped term-weight matrix: a query reads its terms' postings only."""

    def __init__(self, table: PassageTable, lexicon: Lexicon | None = None) -> None:
        self.table = table
        self.lexicon = lexicon
        self._idf_max = float(self.table.info.get("idf_max", 1.0))

    def idf(self, term: str) -> float:
        """BM25 idf of a stemmed term; a term the store never uses counts as the rarest."""
        if not len(self.table):
            return 1.0
        known = self.table.term_columns([term]).get(term)
        return max(known[1] if known else self._idf_max, 0.05)

    def translated(self, question: str, qlang: str, lang: str) -> list[str]:
        """The question's words in ``lang``, from the lexicon and the glossary (unstemmed)."""
        out = list(translations(question, lang))
        if self.lexicon is not None:
            found = self.lexicon.translate(question_words(question, qlang), lang, qlang)
            out += [t for near in found.values() for t, _ in near]
        return out

    def queries(self, question: str, qlang: str) -> dict[str, list[str]]:
        """The stemmed token query to run against passages of each language."""
        crossing = crossing_tokens(question)
        out: dict[str, list[str]] = {}
        for lang in sorted(self.table.languages.values()):
            if lang == qlang:
                out[lang] = terms(question, lang)
            else:
                words = self.translated(question, qlang, lang)
                out[lang] = [stem(w, lang) for w in crossing] + terms(" ".join(words), lang)
        return out

    def scores(self, question: str, qlang: str) -> np.ndarray:
        """BM25 score of every table row, each row scored with its language's query
        (repeated tokens count again, as in rank-bm25)."""
        out = np.zeros(len(self.table), dtype=np.float32)
        if not len(self.table):
            return out
        queries = self.queries(question, qlang)
        known = self.table.term_columns(t for q in queries.values() for t in q)
        for lang, query in queries.items():
            code = self.table.codes["language"][lang]
            counts: dict[int, int] = {}
            for t in query:
                col = known[t][0].get(code) if t in known else None
                if col is not None:  # the term in this language's passages
                    counts[col] = counts.get(col, 0) + 1
            if counts:
                self.table.bm25(counts, out)
        return out
