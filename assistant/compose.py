"""Extractive answers: the sentences of the retrieved passages that answer the question,
grouped by instrument, each followed by its citation marker.

No model writes anything here: every sentence of an answer is a sentence of a source,
quoted as written (in the source's language), so every claim is exactly as supported as
the passage it cites. The passage quoted first is the one whose best sentence answers
best (its closeness and its share of the question's words, with the retrieval score),
and near-ties are quoted only within a narrow margin. When the evidence does not support an answer
(``assistant.support``), the answer says the sources do not cover the question and lists
the closest documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.answer import Answer, Citation
from assistant.answer_type import answer_type, answers_type, asks_scope, figures
from assistant.countries import country_name
from assistant.direct import Quoted, short_answer, translated_asked
from assistant.messages import answer_language, message
from assistant.retrieval import Retriever, SearchResult
from assistant.support import SupportJudge
from assistant.survey import asks_duty, is_survey, nearest, survey_hits
from assistant.terms import QuestionTerms, text_stems
from indexer.chunking import parent_locator, split_sentences
from indexer.models import Hit

# A sentence that announces a list: "… à savoir :", "… shall include the following:", "… that-".
LEAD_IN = (":", "-", "—", "–")
# Keyword lines at the end of a summary help retrieval but say nothing to a reader.
QUESTION = re.compile(r"\?\s*[\"'”»)]*\s*$")  # a sentence that ends by asking
KEYWORDS = re.compile(r"^\s*(mots-cl[ée]s|palabras clave|keywords)\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class ComposeConfig:
    """What an answer quotes; tuned on the dev half of both suites for the first citation."""

    k: int = 8  # passages retrieved
    candidates: int = 4  # passages whose sentences compete for the first quote
    max_passages: int = 3  # passages quoted
    per_passage: int = 2  # sentences quoted from one passage
    passage_margin: float = 0.015  # quote further passages scoring within this of the first
    sentence_margin: float = 0.03  # and, in each, sentences within this of its best
    coverage_weight: float = 0.06  # a sentence holding the question's words answers better
    type_weight: float = 0.05  # a sentence stating the figure or date asked for
    rank_weight: float = 2.0  # weight of the retrieval score against the best sentence's
    list_items: int = 8  # items quoted after a lead-in that announces them ("as follows:")
    survey_instruments: int = 8  # "which countries…": one passage from each of this many
    survey_margin: float = 0.05
    survey_second_margin: float = 0.012  # a second passage of one instrument this close


@dataclass
class Sentence:
    score: float
    n: int
    text: str


@dataclass
class Evidence:
    hit: Hit
    score: float  # how well its best sentence answers the question
    sentences: list[Sentence]


class ExtractiveComposer:
    """Builds an ``Answer`` from a retriever's hits, without any language model."""

    def __init__(self, retriever: Retriever, config: ComposeConfig | None = None) -> None:
        self.retriever = retriever
        self.config = config or ComposeConfig()
        self.judge = SupportJudge(retriever)

    # -- evidence ------------------------------------------------------------------------
    def scored_sentences(
        self, hit: Hit, rows: list | None, result: SearchResult, qt: QuestionTerms
    ) -> list[Sentence]:
        """Every sentence of a passage with how well it answers: closeness to the question,
        and its share of the question's words."""
        cfg = self.config
        qvec = result.query_vector
        if rows and qvec is not None:
            base = [(float(np.dot(v, qvec)), n, s) for n, s, v in rows]
        else:
            dense = hit.scores.get("dense", hit.score)
            base = [(dense, n, s) for n, s in enumerate(split_sentences(hit.text) or [hit.text])]
        kind = answer_type(result.question, qt.qlang) if cfg.type_weight else ""
        scope = cfg.type_weight and asks_scope(result.question, qt.qlang)
        # The project's guiding-question records open with the question itself: quoting it
        # answers nothing. (In a user's document a question can be the answer: "are
        # delegations asked whether…?" is answered by the paper's list of questions.)
        asks = hit.collection == "synthesis"
        out = []
        for cos, n, text in base:
            if KEYWORDS.match(text) or (asks and QUESTION.search(text)):
                continue
            score = cos + cfg.coverage_weight * qt.coverage(
                {hit.language: text_stems(text, hit.language)}
            )
            if kind and answers_type(kind, result.question, [text], qt):
                score += cfg.type_weight  # the figure or date the question asks for
            elif scope and figures(text)[0]:
                score += cfg.type_weight  # "which companies": the threshold that says who
            out.append(Sentence(score, n, text))
        if out or (asks and QUESTION.search(hit.text)):
            return out  # a passage that only asks a question has nothing to quote
        return [Sentence(hit.score, 0, hit.text)]

    def evidence(
        self, result: SearchResult, qt: QuestionTerms
    ) -> tuple[list[Evidence], list[Sentence]]:
        """The passages to quote, best answering first, and in each the sentences to quote;
        with every sentence of the candidate passages, best first (what support reads)."""
        cfg = self.config
        hits = result.hits
        if not hits:
            return [], []
        # A passage in a third language (the Spanish summary, for a French question) is
        # never the best quote: keep the question's language and the document's own.
        usable = [h for h in hits if h.language in (result.language, self._doc_language(h))]
        hits = usable or hits
        survey = result.across or is_survey(
            result.question or "", result.language, result.named_docs
        )
        figure = bool(answer_type(result.question, qt.qlang)) or asks_scope(
            result.question, qt.qlang
        )
        pool, searched, vouched = self.pool(result, hits, survey, figure)
        scored = []
        top_score = hits[0].score
        vectors = self.retriever.store.sentence_vectors([h.passage_id for h in pool])
        for h in pool:
            sentences = self.scored_sentences(h, vectors.get(h.passage_id), result, qt)
            if not sentences:
                continue
            best = max(s.score for s in sentences)
            # Passages searched instrument by instrument have no fused score: only their
            # sentences compare.
            rank = (
                0.0
                if survey or h.passage_id in searched
                else cfg.rank_weight * (h.score - top_score)
            )
            scored.append(Evidence(h, best + rank, sentences))
        scored.sort(key=lambda e: -e.score)
        if not scored:
            return [], []
        # What support reads: the retrieved passages only, as for any question.
        candidates = sorted(
            (s for ev in scored if ev.hit.passage_id not in searched for s in ev.sentences),
            key=lambda s: -s.score,
        )
        chosen = self.survey(scored, figure, vouched) if survey else self.focused(scored)
        out = []
        for ev in chosen:
            best = max(s.score for s in ev.sentences)
            keep = sorted(ev.sentences, key=lambda s: -s.score)
            per_passage = 1 if survey else cfg.per_passage  # many instruments: one sentence each
            keep = [s for s in keep if s.score >= best - cfg.sentence_margin][:per_passage]
            if ev.hit.text.rstrip().endswith(LEAD_IN):
                # The passage ends by announcing a list: quote that lead-in, then the items.
                lead = max(ev.sentences, key=lambda s: s.n)
                keep = [s for s in keep if s is not lead][: cfg.per_passage - 1] + [lead]
                ev.sentences = sorted(keep, key=lambda s: s.n)
                out += [ev, *self.list_items(ev)]
                continue
            ev.sentences = sorted(keep, key=lambda s: s.n)
            out.append(ev)
        seen: set[str] = set()
        quoted = [e for e in out if not (e.hit.passage_id in seen or seen.add(e.hit.passage_id))]
        return quoted, candidates

    def pool(
        self, result: SearchResult, hits: list[Hit], survey: bool, figure: bool
    ) -> tuple[list[Hit], set[str], set[str]]:
        """The passages whose sentences compete, the ids of those searched instrument by
        instrument (no fused score), and the instruments a matching measure vouches for."""
        pool, vouched = hits[: self.config.candidates], set()
        extra: list[Hit] = []
        if survey:
            pool = hits
            extra, vouched = survey_hits(self.retriever, result)
        elif figure:
            # A figure asked of one instrument: its passages stating it compete too.
            extra = nearest(self.retriever, result, [hits[0].doc_id])
        known = {h.passage_id for h in pool}
        langs = (result.language,)
        extra = [
            h
            for h in extra
            if h.passage_id not in known and h.language in (*langs, self._doc_language(h))
        ]
        return pool + extra, {h.passage_id for h in extra}, vouched

    def focused(self, scored: list[Evidence]) -> list[Evidence]:
        """The best passage and those within a narrow margin of it."""
        cfg = self.config
        first = scored[0].score
        return [ev for ev in scored[: cfg.max_passages] if ev.score >= first - cfg.passage_margin]

    def survey(
        self, scored: list[Evidence], figure: bool = False, vouched: set[str] | None = None
    ) -> list[Evidence]:
        """Across instruments: the best passage of each instrument that answers nearly as
        well as the best one (or that the nearest gap-analysis measure names as applying
        it), and its runner-up when nearly as good, or when the question asks for a figure
        ("above what turnover", "which companies") that only the runner-up states."""
        vouched = vouched or set()
        cfg = self.config
        best: dict[str, Evidence] = {}
        second: dict[str, Evidence] = {}
        for ev in scored:
            doc = ev.hit.doc_id
            if doc not in best:
                if ev.score >= scored[0].score - cfg.survey_margin or doc in vouched:
                    best[doc] = ev
            elif doc not in second:
                gap = best[doc].score - ev.score
                states = figure and not _states_figure(best[doc]) and _states_figure(ev)
                if gap <= cfg.survey_second_margin or (states and gap <= cfg.survey_margin):
                    second[doc] = ev
        chosen = []
        for doc in list(best)[: cfg.survey_instruments]:
            chosen += [best[doc]] + ([second[doc]] if doc in second else [])
        return chosen

    def list_items(self, ev: Evidence) -> list[Evidence]:
        """The items a quoted lead-in announces ("… three principles:" then (a), (b), (c)):
        the answer is in them, so they are quoted too, each citing its own locator."""
        items = []
        for hit in self.retriever.neighbours(
            ev.hit.passage_id, before=0, after=self.config.list_items
        )[1:]:
            if parent_locator(hit.locator) != ev.hit.locator:
                break
            sentences = split_sentences(hit.text) or [hit.text]
            items.append(
                Evidence(
                    hit, ev.score, [Sentence(ev.score, n, t) for n, t in enumerate(sentences[:2])]
                )
            )
        return items

    def _doc_language(self, hit: Hit) -> str:
        rec = self.retriever.table.get(hit.passage_id)
        return str(rec.meta.get("doc_language", "")) if rec else ""

    # -- the answer ----------------------------------------------------------------------
    def compose(self, question: str, result: SearchResult) -> Answer:
        lang = answer_language(result.language)
        langs = {h.language for h in result.hits[: self.judge.config.passages]}
        qt = QuestionTerms(question, result.language, self.retriever, langs)
        evidence, candidates = self.evidence(result, qt)
        quoted = [ev.hit for ev in evidence]
        hits = quoted + [h for h in result.hits if h not in quoted]
        support = self.judge.judge(
            qt, hits, [s.text for s in candidates], named=bool(result.named_docs)
        )
        report = {"probability": support.probability, **support.parts}
        if not support.supported:
            return self.refusal(
                question, result, lang, support.probability, report, support.missing
            )
        citations: list[Citation] = []
        groups: dict[str, list[str]] = {}
        heads: dict[str, str] = {}
        for ev in evidence:
            n = len(citations) + 1
            citations.append(Citation.from_hit(ev.hit, n))
            doc = ev.hit.doc_id
            heads.setdefault(doc, group_heading(ev.hit, lang))
            for s in ev.sentences:
                groups.setdefault(doc, []).append(f"{quote(s.text)} [{n}]")
        notices = []
        src_langs = {c.language for c in citations if c.language}
        other = src_langs - {lang}
        if other:
            names = message("list_separator", lang).join(
                sorted(message(f"lang_{sl}", lang) for sl in other)
            )
            key = "other_language" if lang not in src_langs else "some_other_language"
            notices.append(message(key, lang, langs=names))
        body = self.opening(question, result, evidence, citations, lang)
        body.append(message("intro", lang))
        for doc, lines in groups.items():
            body.append(f"\n{heads[doc]}")
            body.extend(f"- {line}" for line in lines)
        return Answer(
            question=question,
            answer="\n".join(notices + body).strip(),
            supported=True,
            confidence=support.probability,
            language=lang,
            citations=citations,
            used_passage_ids=[c.passage_id for c in citations],
            notices=notices,
            support=report,
        )

    def opening(
        self,
        question: str,
        result: SearchResult,
        evidence: list[Evidence],
        citations: list[Citation],
        lang: str,
    ) -> list[str]:
        """The short answer before the quotations (``assistant.direct``), then a blank line."""
        qlang = result.language
        quoted = [
            Quoted(
                ev.hit.short_title or ev.hit.title,
                ev.hit.locator,
                c.n,
                [s.text for s in ev.sentences],
                ev.hit.collection == "synthesis",
            )
            for ev, c in zip(evidence, citations, strict=True)
        ]
        figure = bool(answer_type(question, qlang)) or asks_scope(question, qlang)
        survey = result.across or is_survey(question, qlang, result.named_docs)
        duty = asks_duty(question, qlang)
        lex, langs = getattr(self.retriever, "lexicon", None), {c.language for c in citations}
        also = translated_asked(lex, question, qlang, langs) if duty else set()
        lines = short_answer(question, quoted, lang, duty, figure, survey, also)
        return [*lines, ""] if lines else []

    def refusal(
        self,
        question: str,
        result: SearchResult,
        lang: str,
        confidence: float,
        report: dict[str, float],
        missing: list[str],
    ) -> Answer:
        closest: list[dict[str, str]] = []
        # A question about something else entirely: the nearest documents are noise.
        off_topic = report.get("closeness", 0.0) < self.judge.config.off_topic or not report.get(
            "coverage", 1.0
        )
        for h in [] if off_topic else result.hits:
            if h.doc_id not in {c["doc_id"] for c in closest}:
                closest.append({"doc_id": h.doc_id, "title": h.title, "url": h.url})
            if len(closest) == 3:
                break
        text = message("not_covered", lang)
        if off_topic:
            text += "\n" + message("off_topic", lang)
        if missing:
            names = ", ".join(country_name(m, lang) if m.isupper() else m for m in missing)
            text += "\n" + message("not_mentioned", lang, names=names)
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
            support=report,
        )


def _states_figure(ev: Evidence) -> bool:
    return any(figures(s.text)[0] for s in ev.sentences)


def quote(sentence: str) -> str:
    """A source sentence as it appears in an answer: whitespace tidied, markers kept."""
    s = re.sub(r"\s+", " ", sentence).strip()
    return s if s.endswith((".", ";", ":", "?", "!", "»", '"', ")")) else s + "…"


def group_heading(hit: Hit, lang: str) -> str:
    """``UK Modern Slavery Act (GB, 2015, binding)``: the instrument a group of sentences quotes."""
    name = hit.short_title or hit.title
    if hit.collection == "synthesis":
        kind = "synthesis_question" if hit.type == "report" else "synthesis"
        return f"{name} ({message(kind, lang)}):"
    binding = message(f"binding_{hit.binding}", lang)
    bits = [b for b in (hit.jurisdiction, str(hit.year) if hit.year else "", binding) if b]
    return f"{name} ({', '.join(bits)}):"
