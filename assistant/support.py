"""Whether the retrieved passages support an answer: the refusal decision.

No language model or entailment model ships offline, so support is judged from signals
that carry over to any corpus and any language pair:

- **off-topic guard**: the best passage or sentence cosine, measured in spreads above
  what off-topic probe questions in the question's language reach in this very store
  (``indexer.probes``), not against one fixed number; below half a spread, no answer;
- **coverage**: the share of the question's words (weighted by rarity in the store)
  found in the best passages, directly or through the store's cross-lingual lexicon;
- **specifics**: names, acronyms, numbers and countries the question names must be
  found in the passages (in any language): a question about a law or a country the
  documents never mention is not answered from another one;
- **answer type**: a question asking how much, how many, from what amount or when
  needs a figure or a date in the best sentences that the question does not already hold.

Coverage, specifics, countries and answer type combine in a logistic model whose weights
were fitted on the dev half of both evaluation suites (``python -m evals.fit``, features
chosen by cross-validation there) and ship in ``support_model.json`` with the id of the
embedder they were fitted with.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.answer_type import answer_type, answers_type, focus_words, found_in_sentences
from assistant.countries import countries, covered
from assistant.glossary import CONCEPTS, find_concepts, translations
from assistant.terms import QuestionTerms, hit_stems
from indexer.language import ascii_digits, fold, has_han, stopwords, words
from indexer.models import Hit

MODEL = Path(__file__).with_name("support_model.json")

_SPECIFIC = re.compile(r"\b(?:[A-Z][\w’'-]*[A-Z][\w’'-]*|\d[\w./()-]*)\b")  # LkSG, FAR, 2018, 17/4
_NAME = re.compile(r"(?<=[\w,;:] )([A-Z][a-zà-ÿ]{2,}(?:\s+(?:[A-Z][a-zà-ÿ]{2,}))*)")


@dataclass(frozen=True)
class SupportConfig:
    passages: int = 3  # top passages the evidence is read from
    sentences: int = 4  # best sentences of the candidate passages the answer type is checked in
    name_similarity: float = 0.75  # lexicon closeness needed to take a name as translated
    off_topic: float = 0.5  # spreads above the probe floor below which a question is off-topic


@dataclass
class Support:
    """A refusal decision and what it rests on (shown in ``--json`` and the evaluation)."""

    probability: float
    supported: bool
    parts: dict[str, float] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # specifics found in no passage


def known_word(word: str, lang: str) -> bool:
    """Whether ``word`` is in simplemma's dictionary of ``lang`` (or of English)."""
    import simplemma
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

    return simplemma.is_known(word.casefold(), lang=lang if lang in SUPPORTED_LANGUAGES else "en")


def specifics(question: str, lang: str = "en") -> list[str]:
    """What a source must mention to answer: acronyms, numbers and names of the question
    that are no word of its language ("LkSG", "2014/24", "Suja"). Ordinary words written
    with a capital ("States", "Transparency") are left to coverage, countries to their check."""
    found = [m.group(0) for m in _SPECIFIC.finditer(question)]
    if has_han(question):  # Chinese runs figures into words: "第57条", "2015年"
        found += re.findall(r"\d+(?:[./-]\d+)*", question)
    for m in _NAME.finditer(question):
        found += [
            w for w in m.group(1).split() if not all(known_word(p, lang) for p in w.split("-") if p)
        ]
    return list(dict.fromkeys(s.strip(".,;:") for s in found if len(s.strip(".,;:")) > 1))


def initials_match(acronym: str, title: str) -> bool:
    """Whether an acronym's letters follow, in order, the initials of a title's words."""
    initials = [w[0] for w in fold(title).split() if w[:1].isalpha()]
    letters = [c for c in fold(acronym) if c.isalpha()]
    i = 0
    for ch in initials:
        if i < len(letters) and ch == letters[i]:
            i += 1
    return len(letters) >= 2 and i == len(letters) and letters[0] == initials[0]


class SupportJudge:
    """Scores the support the top hits give a question; needs the retriever's store state."""

    def __init__(self, retriever: Any, config: SupportConfig | None = None) -> None:
        self.retriever = retriever
        self.config = config or SupportConfig()
        self.model = load_model(embedder_id=getattr(getattr(retriever, "embedder", None), "id", ""))

    def floor(self, lang: str) -> tuple[float, float]:
        probes = self.retriever.probes()
        mean, spread = probes.get(lang) or probes.get("en") or (0.80, 0.02)
        return float(mean), max(float(spread), 0.005)

    def mentioned(
        self,
        spec: str,
        qlang: str,
        hits: list[Hit],
        evidence: dict[str, set[str]],
        question: str = "",
    ) -> bool:
        """Whether a name, acronym or number of the question is in the passages, in any language."""
        folded = (
            " "
            + " ".join(fold(f"{h.title} {h.short_title} {h.locator} {h.text}") for h in hits)
            + " "
        )
        core = re.findall(r"\d+(?:[./-]\d+)*", ascii_digits(spec))
        if core:  # "2014/24/EU" is "2014/24/UE" in French: the figures decide
            return all(re.search(rf"(?<![\d.]){re.escape(c)}(?!\d)", folded) for c in core)
        acronym = spec.isupper() or re.fullmatch(r"[A-Z][a-z]*[A-Z]\w*", spec)
        if acronym and any(initials_match(spec, f"{h.title} {h.short_title}") for h in hits):
            return True  # "UNTOC": United Nations Convention against Transnational Organized Crime
        names = {fold(t) for lang in ("en", "fr", "es") for t in translations(spec, lang)}
        # The glossary term the name belongs to in the question ("Inter-Agency" in "the
        # Inter-Agency Coordination Group …"), in any language.
        for idx, matched in find_concepts(question):
            if fold(spec) in fold(matched):
                names |= {fold(t) for lang in ("en", "fr", "es") for t in CONCEPTS[idx][lang]}
        if any(f" {n} " in folded for n in names):
            return True  # "OEA": "Organisation des États américains" in a French text
        toks = [t for t in words(spec) if t not in stopwords(qlang)] or words(spec)
        # An acronym is not translated word by word ("LkSG" is no French word); a name
        # only through a close translation ("Norway" / "Norvège").
        strict = 1.0 if acronym else self.config.name_similarity
        qt = QuestionTerms(spec, qlang, self.retriever, set(evidence), min_similarity=strict)
        return all(qt.found_in(t, evidence) for t in toks)

    def judge(
        self, qt: QuestionTerms, hits: list[Hit], sentences: list[str], named: bool = False
    ) -> Support:
        """The support decision for a question, its top hits and their best sentences."""
        top = hits[: self.config.passages]
        if not top:
            return Support(0.0, False, {"no_hits": 1.0})
        question, qlang = qt.question, qt.qlang
        best = max(max(h.scores.get("dense", 0.0), h.scores.get("sentence", 0.0)) for h in top)
        mean, spread = self.floor(qlang)
        evidence = hit_stems(top)
        missing = [
            spec
            for spec in specifics(question, qlang)
            if not countries(spec) and not self.mentioned(spec, qlang, top, evidence, question)
        ]
        juris = {h.jurisdiction for h in top}
        for h in top:
            if not h.jurisdiction:  # a user's document: the countries it mentions anywhere
                juris |= self.retriever.doc_countries(h.doc_id)
        texts = " ".join(f"{h.title} {h.short_title} {h.text}" for h in top)
        elsewhere = sorted(c for c in countries(question) if not covered(c, juris, texts))
        kind = answer_type(question, qlang)
        best_sentences = sentences[: self.config.sentences]
        numeric_ok = 1.0 if answers_type(kind, question, best_sentences, qt) else 0.0
        focus = 1.0 if found_in_sentences(qt, focus_words(question, qlang), best_sentences) else 0.0
        parts = {
            "closeness": (best - mean) / spread,
            "cosine": best,
            "coverage": qt.coverage(evidence),
            "missing": float(len(missing)),
            "countries": float(len(elsewhere)),
            "numeric": numeric_ok,
            "focus": focus,
            "named": 1.0 if named else 0.0,
        }
        p = self.model.probability(parts)
        if parts["closeness"] < self.config.off_topic:
            p = 0.0  # no closer than questions about something else entirely
        return Support(round(p, 4), p >= self.model.threshold, parts, missing + elsewhere)


@dataclass
class SupportModel:
    """A logistic model over the support parts: ``p = σ(bias + Σ weight × part)``."""

    weights: dict[str, float]
    bias: float
    threshold: float = 0.5

    def probability(self, parts: dict[str, float]) -> float:
        z = self.bias + sum(w * parts.get(k, 0.0) for k, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


# Before any fit: closeness and coverage for, missing specifics, countries and figures against.
def load_model(path: Path = MODEL, embedder_id: str = "") -> SupportModel:
    """The fitted refusal model; a missing or broken file is an installation error, and a
    model fitted with another embedder than the store's is said, not silently used."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        model = SupportModel(raw["weights"], float(raw["bias"]), float(raw.get("threshold", 0.5)))
    except (OSError, ValueError, KeyError) as exc:
        raise RuntimeError(
            f"the refusal model {path.name} cannot be read ({exc}): reinstall Vigilance"
        ) from exc
    fitted = raw.get("embedder", "")
    if embedder_id and fitted and fitted != embedder_id:
        warnings.warn(
            f"the refusal model was fitted with {fitted}, the store uses {embedder_id}: "
            "refusals may be less accurate (python -m evals.fit refits it)",
            stacklevel=2,
        )
    return model
