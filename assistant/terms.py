"""When is a question's word "in" a text: itself, its stem, or a translation of it into the
text's language (the store's lexicon, the glossary). Shared by the support judgement,
the answer-type checks and the choice of the sentences to quote."""

from __future__ import annotations

import re
from typing import Any

from assistant.glossary import translations
from assistant.lexicon import question_words
from indexer.language import fold, stem, terms
from indexer.models import Hit


class QuestionTerms:
    """A question's content words, their weights (rarity in the store) and their
    translations into the store's passage languages: what "found in a text" means."""

    def __init__(
        self,
        question: str,
        qlang: str,
        retriever: Any,
        langs: set[str],
        min_similarity: float = 0.0,
    ) -> None:
        self.question, self.qlang, self.retriever = question, qlang, retriever
        self.words = question_words(question, qlang)
        idf = getattr(retriever, "idf", None)
        self.weights = {w: (idf(stem(w, qlang)) if idf else 1.0) for w in self.words}
        lex = getattr(retriever, "lexicon", None)
        self.lexicon: dict[str, dict[str, list[tuple[str, float]]]] = {}
        for lang in langs - {qlang}:
            found = (
                lex.translate(self.words, lang, qlang)
                if lex is not None and min_similarity < 1
                else {}
            )
            self.lexicon[lang] = {
                w: [(t, sim) for t, sim in near if sim >= min_similarity]
                for w, near in found.items()
            }
        self._forms: dict[tuple[str, str], set[str]] = {}

    def forms(self, word: str, lang: str) -> set[str]:
        """The stems under which ``word`` may appear in a text of ``lang``."""
        key = (word, lang)
        if key not in self._forms:
            out = {word, stem(word, lang), stem(word, self.qlang)}
            for t, _ in self.lexicon.get(lang, {}).get(word, []):
                out.add(stem(t, lang))
            out.update(stem(t, lang) for t in translations(word, lang) if " " not in t)
            self._forms[key] = out
        return self._forms[key]

    def found_in(self, word: str, stems_by_lang: dict[str, set[str]]) -> bool:
        return any(self.forms(word, lang) & stems for lang, stems in stems_by_lang.items())

    def coverage(self, stems_by_lang: dict[str, set[str]]) -> float:
        """Share of the question's weight found in a text (stems by language)."""
        total = sum(self.weights.values())
        if not total:
            return 0.0
        return sum(wt for w, wt in self.weights.items() if self.found_in(w, stems_by_lang)) / total


def text_stems(text: str, lang: str) -> set[str]:
    """The stems and folded words of a text, as ``QuestionTerms`` looks them up
    ("2014/24/UE" also as "2014", "24" and "ue")."""
    folded = fold(text).split()
    parts = {p for w in folded if "/" in w or "-" in w for p in re.split(r"[/-]", w) if p}
    return set(terms(text, lang)) | set(folded) | parts


def hit_stems(hits: list[Hit]) -> dict[str, set[str]]:
    """Stems of passages and of their documents' names, by passage language."""
    out: dict[str, set[str]] = {}
    for h in hits:
        text = f"{h.title} {h.short_title} {h.heading} {h.locator} {h.text}"
        out.setdefault(h.language, set()).update(text_stems(text, h.language))
    return out
