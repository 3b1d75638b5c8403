"""Extractive answers: the sentences of the retrieved passages that answer the question,
grouped by instrument, each followed by its citation marker.

No model writes anything here: every sentence of an answer is a sentence of a source,
quoted as written (in the source's language), so every claim is exactly as supported as
the passage it cites. When the evidence is too weak the answer says the knowledge base
does not cover the question, and lists the closest documents.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.answer import Answer, Citation
from assistant.countries import countries, covered
from assistant.glossary import find_concepts, translations
from assistant.messages import message
from assistant.retrieval import Retriever, SearchResult
from assistant.text import ALL_STOPWORDS, fold, tokens
from indexer.chunking import split_sentences
from indexer.models import Hit

CALIBRATION = Path(__file__).with_name("calibration.json")
# Keyword lines at the end of a summary help retrieval but say nothing to a reader.
KEYWORDS = re.compile(r"^\s*(mots-cl[ée]s|palabras clave|keywords)\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class ComposeConfig:
    k: int = 8  # passages retrieved
    max_passages: int = 3  # passages quoted
    per_passage: int = 2  # sentences quoted from one passage
    passage_margin: float = 0.015  # quote passages scoring within this of the best
    sentence_margin: float = 0.03  # and, in each, sentences within this of its best
    survey_instruments: int = 4  # "which countries…": one passage from each of this many
    survey_margin: float = 0.05
    threshold: float = 0.86  # support score below which the answer is a refusal (calibrated)


def load_threshold(default: float) -> float:
    """The refusal threshold calibrated by ``python -m evals --calibrate``, if any."""
    try:
        return float(json.loads(CALIBRATION.read_text())["threshold"])
    except (OSError, ValueError, KeyError):
        return default


# Questions that ask across instruments ("which countries…", "quels pays…", "qué leyes…").
SURVEY = re.compile(
    r"\b(which|what|quels|quelles|qu[ée]s|cu[áa]les)\s+(countries|jurisdictions|states|laws|"
    r"instruments|pays|[ée]tats|lois|juridictions|pa[íi]ses|estados|leyes|instrumentos)\b|"
    r"\b(compare|comparer|comparar|across jurisdictions)\b",
    re.IGNORECASE,
)


@dataclass
class Evidence:
    hit: Hit
    sentences: list[tuple[float, int, str]]  # (score, position, sentence)


def content_terms(question: str) -> list[str]:
    return [t for t in tokens(question) if t not in ALL_STOPWORDS and len(t) > 2]


NAME = re.compile(r"(?<![.?!]\s)(?<!^)\b([A-Z][a-zà-ÿ]{2,}(?:\s+[A-Z][a-zà-ÿ]{2,})*)")


def uncovered_countries(question: str, hits: list[Hit]) -> list[str]:
    """Countries the question names that none of the hits is about or mentions."""
    named = countries(question)
    if not named:
        return []
    jurisdictions = {h.jurisdiction for h in hits}
    texts = " ".join(f"{h.title} {h.short_title} {h.text}" for h in hits)
    return sorted(c for c in named if not covered(c, jurisdictions, texts))


def unknown_names(question: str, hits: list[Hit]) -> list[str]:
    """Proper names in the question that no retrieved passage or its document mentions
    (country names are left to ``uncovered_countries``)."""
    if not hits:
        return []
    haystack = fold(" ".join(f"{h.text} {h.title} {h.short_title} {h.jurisdiction}" for h in hits))
    glossary_terms = {term for _, term in find_concepts(question)}
    missing = []
    for name in NAME.findall(question.strip()):
        key = fold(name)
        if key in ALL_STOPWORDS or any(key in t or t in key for t in glossary_terms):
            continue
        if countries(name):
            continue
        if key not in haystack:
            missing.append(name)
    return missing


def coverage(question: str, hits: list[Hit]) -> float:
    """Share of the question's content words found (in any language) in the top passages."""
    terms = content_terms(question)
    if not terms:
        return 0.0
    words: set[str] = set()
    for h in hits:
        words.update(tokens(f"{h.text} {h.title} {h.short_title} {h.locator}"))
    found = 0
    for term in terms:
        if term in words:
            found += 1
            continue
        variants = {
            t for lang in ("en", "fr", "es") for t in tokens(" ".join(translations(term, lang)))
        }
        if variants & words:
            found += 1
    return found / len(terms)


class ExtractiveComposer:
    """Builds an ``Answer`` from a retriever's hits, without any language model."""

    def __init__(self, retriever: Retriever, config: ComposeConfig | None = None) -> None:
        self.retriever = retriever
        cfg = config or ComposeConfig()
        self.config = cfg if config else ComposeConfig(threshold=load_threshold(cfg.threshold))

    def support(self, question: str, result: SearchResult) -> tuple[float, dict[str, float]]:
        """A score of how well the hits support an answer, and its parts."""
        hits = result.hits[:5]
        if not hits:
            return 0.0, {}
        best = max(max(h.scores.get("dense", 0.0), h.scores.get("sentence", 0.0)) for h in hits)
        cov = coverage(question, hits[:3])
        unknown = unknown_names(question, hits)
        elsewhere = uncovered_countries(question, hits)
        named = 1.0 if result.named_docs else 0.0
        score = (
            best + 0.08 * cov + 0.02 * named - 0.06 * min(len(unknown), 2) - 0.12 * bool(elsewhere)
        )
        parts = {
            "best_cosine": best,
            "coverage": cov,
            "unknown_names": len(unknown),
            "named": named,
            "uncovered_countries": len(elsewhere),
        }
        return score, parts

    def evidence(self, result: SearchResult) -> list[Evidence]:
        """The passages to quote and, in each, the sentences closest to the question."""
        cfg = self.config
        hits = result.hits
        if not hits:
            return []
        # A passage in a third language (the Spanish summary, for a French question) is
        # never the best quote: keep the question's language and the document's own.
        usable = [h for h in hits if h.language in (result.language, self._doc_language(h))]
        hits = usable or hits
        top = hits[0].score
        if SURVEY.search(result.question or ""):
            # One passage per instrument, from the best few instruments.
            chosen, seen = [], set()
            for h in hits:
                if h.doc_id not in seen and h.score >= top - cfg.survey_margin:
                    chosen.append(h)
                    seen.add(h.doc_id)
                if len(chosen) == cfg.survey_instruments:
                    break
        else:
            chosen = [h for h in hits[: cfg.max_passages] if h.score >= top - cfg.passage_margin]
        qvec = result.query_vector
        sent_vecs = self.retriever.store.sentence_vectors([h.passage_id for h in chosen])
        out = []
        for hit in chosen:
            rows = sent_vecs.get(hit.passage_id)
            if rows and qvec is not None:
                scored = [(float(np.dot(v, qvec)), n, s) for n, s, v in rows]
            else:
                sents = split_sentences(hit.text) or [hit.text]
                base = hit.scores.get("dense", hit.score)
                # Without sentence vectors (short passages) the passage score stands for each.
                scored = [(base, n, s) for n, s in enumerate(sents)]
                if len(sents) > cfg.per_passage:
                    scored = scored[: cfg.per_passage]
            scored = [t for t in scored if not KEYWORDS.match(t[2])] or scored
            scored.sort(key=lambda t: -t[0])
            best = scored[0][0]
            keep = [t for t in scored if t[0] >= best - cfg.sentence_margin][: cfg.per_passage]
            keep.sort(key=lambda t: t[1])
            out.append(Evidence(hit, keep))
        return out

    def _doc_language(self, hit: Hit) -> str:
        rec = self.retriever.table.get(hit.passage_id)
        return str(rec.meta.get("doc_language", "")) if rec else ""

    def compose(self, question: str, result: SearchResult) -> Answer:
        lang = result.language if result.language in ("en", "fr", "es") else "en"
        score, parts = self.support(question, result)
        confidence = round(float(np.clip((score - self.config.threshold + 0.1) / 0.2, 0, 1)), 3)
        if score < self.config.threshold:
            return self.refusal(question, result, lang, confidence)
        evidence = self.evidence(result)
        citations: list[Citation] = []
        groups: dict[str, list[str]] = {}
        heads: dict[str, str] = {}
        for ev in evidence:
            n = len(citations) + 1
            citations.append(Citation.from_hit(n, ev.hit))
            doc = ev.hit.doc_id
            heads.setdefault(doc, group_heading(ev.hit, lang))
            for _, _, sentence in ev.sentences:
                groups.setdefault(doc, []).append(f"{quote(sentence)} [{n}]")
        notices = []
        src_langs = {c.language for c in citations if c.language}
        other = src_langs - {lang}
        if other:
            names = ", ".join(sorted(message(f"lang_{sl}", lang) for sl in other))
            key = "other_language" if lang not in src_langs else "some_other_language"
            notices.append(message(key, lang, langs=names))
        body = [message("intro", lang)]
        for doc, lines in groups.items():
            body.append(f"\n{heads[doc]}")
            body.extend(f"- {line}" for line in lines)
        return Answer(
            question=question,
            answer="\n".join(notices + body).strip(),
            supported=True,
            confidence=confidence,
            language=lang,
            citations=citations,
            used_passage_ids=[c.passage_id for c in citations],
            notices=notices,
        )

    def refusal(self, question: str, result: SearchResult, lang: str, confidence: float) -> Answer:
        closest = []
        for h in result.hits:
            if h.doc_id not in {c["doc_id"] for c in closest}:
                closest.append({"doc_id": h.doc_id, "title": h.title, "url": h.url})
            if len(closest) == 3:
                break
        text = message("not_covered", lang)
        if closest:
            text += (
                "\n"
                + message("closest", lang)
                + "\n"
                + "\n".join(f"- {c['title']}" for c in closest)
            )
        return Answer(
            question=question,
            answer=text,
            supported=False,
            confidence=confidence,
            language=lang,
            closest_documents=closest,
        )


def quote(sentence: str) -> str:
    """A source sentence as it appears in an answer: whitespace tidied, markers kept."""
    s = re.sub(r"\s+", " ", sentence).strip()
    return s if s.endswith((".", ";", ":", "?", "!", "»", '"', ")")) else s + "…"


def group_heading(hit: Hit, lang: str) -> str:
    """``UK Modern Slavery Act (GB, 2015, binding)``: the instrument a group of sentences quotes."""
    name = hit.short_title or hit.title
    if hit.collection == "synthesis":
        return f"{name} ({message('synthesis', lang)}):"
    binding = message(f"binding_{hit.binding}", lang)
    bits = [b for b in (hit.jurisdiction, str(hit.year) if hit.year else "", binding) if b]
    return f"{name} ({', '.join(bits)}):"
